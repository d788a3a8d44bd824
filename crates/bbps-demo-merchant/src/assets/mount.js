/*
 * The BBPS.mount page: mounts the widget from code, logs every event it sends, drives handle.update() from the
 * appearance controls, destroys and mounts again, mounts a second independent widget, and asks this site's own
 * server to confirm a payment the widget reports as successful (a browser event is only a hint).
 */
(function () {
  "use strict";
  var EVENTS = ["ready", "resize", "step", "payment.success", "payment.failed", "payment.pending",
    "complaint.raised", "close", "error"];
  var MAX_LOG = 200;
  var VERIFY_ATTEMPTS = 5;

  var key = document.body.dataset.key;
  var form = document.getElementById("appearance");
  var log = document.querySelector("[data-testid=event-log]");
  var verified = document.querySelector("[data-testid=verified]");
  var mountedCount = document.querySelector("[data-testid=mounted-count]");
  var second = document.getElementById("second");
  var buttons = {
    destroy: document.getElementById("destroy"),
    again: document.getElementById("mount-again"),
    second: document.getElementById("mount-second"),
    reset: document.getElementById("reset-appearance"),
    clear: document.getElementById("clear-log")
  };
  // Only variables the visitor changed are sent, so the widget's theme keeps its own palette for the rest.
  var touched = {};
  var widgets = { first: null, second: null };

  function controls() {
    var variables = {};
    Object.keys(touched).forEach(function (name) {
      var value = form.elements[name].value;
      if (value) variables[name] = value;
    });
    var theme = form.elements.theme.value;
    return { theme: theme, locale: form.elements.locale.value, appearance: { theme: theme, variables: variables } };
  }

  function logEvent(label, type, data) {
    var item = document.createElement("li");
    item.dataset.event = type;
    item.dataset.widget = label;
    var line = document.createElement("div");
    line.className = "log-line";
    var time = document.createElement("time");
    time.textContent = new Date().toLocaleTimeString();
    var tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = type;
    var who = document.createElement("span");
    who.className = "muted";
    who.textContent = label;
    line.append(time, " ", tag, " ", who);
    var payload = document.createElement("pre");
    payload.textContent = JSON.stringify(data);
    item.append(line, payload);
    log.insertBefore(item, log.firstChild);
    while (log.children.length > MAX_LOG) log.removeChild(log.lastChild);
  }

  function showVerification(text, status, txnRef) {
    verified.hidden = false;
    verified.textContent = text;
    verified.dataset.status = status;
    if (txnRef) verified.dataset.txnRef = txnRef;
    else delete verified.dataset.txnRef;
  }

  function verify(paymentId) {
    showVerification("Checking payment " + paymentId + " with the merchant's server…", "checking");
    var attempt = 0;
    function ask() {
      attempt += 1;
      fetch("/api/payments/" + encodeURIComponent(paymentId), { headers: { accept: "application/json" } })
        .then(function (r) {
          return r.json().then(function (body) { return { ok: r.ok, body: body }; });
        })
        .then(function (answer) {
          var body = answer.body;
          if (answer.ok && body.verified) {
            showVerification("Verified by the merchant's server: " + body.status + ", txn ref " + body.txn_ref,
              body.status, body.txn_ref);
          } else if (answer.ok && attempt < VERIFY_ATTEMPTS) {
            // The event can overtake the server's own view by a moment; ask again shortly.
            setTimeout(ask, 1000);
          } else {
            showVerification("The merchant's server could not verify " + paymentId + ": " +
              (answer.ok ? body.status : body.message), answer.ok ? body.status : "error");
          }
        })
        .catch(function () {
          showVerification("The merchant's server did not answer about " + paymentId + ".", "error");
        });
    }
    ask();
  }

  function refresh() {
    var n = (widgets.first ? 1 : 0) + (widgets.second ? 1 : 0);
    buttons.again.disabled = !!widgets.first;
    buttons.second.disabled = !!widgets.second;
    buttons.destroy.disabled = n === 0;
    second.hidden = !widgets.second;
    mountedCount.textContent = n === 1 ? "1 widget mounted" : n + " widgets mounted";
  }

  function mountWidget(slot, selector, options, label) {
    var handle = window.BBPS.mount(selector, options);
    if (!handle) return;
    EVENTS.forEach(function (type) {
      handle.on(type, function (data) {
        logEvent(label, type, data);
        if (type === "payment.success" && data && data.paymentId) verify(data.paymentId);
      });
    });
    widgets[slot] = handle;
    refresh();
  }

  function mountFirst() {
    var c = controls();
    var options = { key: key, locale: c.locale, theme: c.theme };
    if (Object.keys(c.appearance.variables).length) options.appearance = c.appearance;
    mountWidget("first", "#pay-bills", options, "widget 1");
  }

  function mountSecond() {
    // Hindi and dark, so it is plainly not a copy of the first.
    second.hidden = false;
    mountWidget("second", "#pay-bills-second", { key: key, locale: "hi", theme: "dark" }, "widget 2");
  }

  function destroyAll() {
    ["first", "second"].forEach(function (slot) {
      if (widgets[slot]) widgets[slot].destroy();
      widgets[slot] = null;
    });
    refresh();
  }

  function onControl(event) {
    var name = event.target.name;
    if (name && name !== "theme" && name !== "locale") touched[name] = true;
    if (widgets.first) widgets.first.update(controls());
  }

  if (!window.BBPS) {
    mountedCount.textContent = "The loader (bbps.js) did not load from the widget origin.";
    return;
  }
  form.addEventListener("input", onControl);
  form.addEventListener("change", onControl);
  buttons.reset.addEventListener("click", function () {
    form.reset();
    touched = {};
    if (widgets.first) widgets.first.update(controls());
  });
  buttons.destroy.addEventListener("click", destroyAll);
  buttons.again.addEventListener("click", mountFirst);
  buttons.second.addEventListener("click", mountSecond);
  buttons.clear.addEventListener("click", function () {
    while (log.firstChild) log.removeChild(log.firstChild);
  });
  mountFirst();
})();
