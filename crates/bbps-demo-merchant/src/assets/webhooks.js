/*
 * Keeps the "Webhooks received" list current by asking this site's server (GET /api/webhooks) every two seconds.
 * The list is rebuilt only when it changed.
 */
(function () {
  "use strict";
  var POLL_MS = 2000;
  var list = document.querySelector("[data-testid=webhooks]");
  var empty = document.querySelector("[data-testid=webhooks-empty]");
  if (!list) return;
  var shown = null;

  function inr(paise) {
    return (paise / 100).toLocaleString("en-IN", { style: "currency", currency: "INR" });
  }

  function span(text, className) {
    var s = document.createElement("span");
    s.textContent = text;
    if (className) s.className = className;
    return s;
  }

  function item(w) {
    var li = document.createElement("li");
    li.dataset.eventId = w.id;
    li.dataset.paymentId = w.payment_id;
    li.dataset.type = w.type;
    var code = document.createElement("code");
    code.textContent = w.payment_id;
    var time = document.createElement("time");
    time.dateTime = w.received_at;
    time.textContent = new Date(w.received_at).toLocaleString("en-IN", {
      timeZone: "Asia/Kolkata", day: "2-digit", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
      hour12: false
    }) + " IST";
    li.append(span(w.type, "tag"), " ", code, " ", span(w.status), " ",
      span(w.txn_ref ? "txn ref " + w.txn_ref : "no txn ref"), " ", span(inr(w.total)), " ", time, " ",
      span(w.deliveries === 1 ? "1 delivery" : w.deliveries + " deliveries", "muted"));
    return li;
  }

  function render(items) {
    var signature = items.map(function (w) { return w.id + ":" + w.deliveries; }).join(",");
    if (signature === shown) return;
    shown = signature;
    while (list.firstChild) list.removeChild(list.firstChild);
    items.forEach(function (w) { list.appendChild(item(w)); });
    empty.hidden = items.length > 0;
  }

  function poll() {
    fetch("/api/webhooks", { headers: { accept: "application/json" } })
      .then(function (r) { return r.json(); })
      .then(function (body) { render(body.items || []); })
      .catch(function () { /* the next poll tries again */ })
      .then(function () { setTimeout(poll, POLL_MS); });
  }

  poll();
})();
