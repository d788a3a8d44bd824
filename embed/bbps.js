/*
 * BBPS Pay loader. Embeds the bill-payment widget in an iframe served from the widget's own origin, so the
 * merchant page can neither read nor alter it (a page script cannot swap the payee of a QR code), the merchant's
 * CSP need not allow wasm, and merchant CSS cannot break it.
 *
 *   <script async src="https://WIDGET-ORIGIN/bbps.js" data-key="pk_test_..." data-container="#pay-bills"></script>
 *
 * or from code: const w = BBPS.mount("#pay-bills", { key: "pk_test_...", locale: "ta" });
 *               w.on("payment.success", (e) => ...); w.update({ locale: "bn" }); w.destroy();
 *
 * Languages (data-locale / locale / update): en, hi, bn, mr, te, ta, gu, kn, ml, or auto (the browser's).
 *
 * Events cross the frame by postMessage with an explicit target origin and an origin check on receipt. A browser
 * event is a hint: confirm a payment on your server (secret-key API or signed webhook).
 */
(function () {
  "use strict";
  if (window.BBPS) {
    var again = document.currentScript;
    if (again && again.hasAttribute("data-key")) {
      console.error("[BBPS] bbps.js is already loaded on this page; mount more widgets with BBPS.mount()");
    }
    return;
  }

  var PROTOCOL = 1;
  var EVENTS = ["ready", "resize", "step", "payment.success", "payment.failed", "payment.pending",
    "complaint.raised", "close", "error"];
  var OPTIONS = ["key", "category", "biller", "locale", "theme"];
  // The iframe's accessible name in each of the widget's languages: the widget's `FrameTitle` texts, which a
  // server test holds equal to these.
  var TITLES = {
    en: "Pay a bill with Bharat Connect",
    hi: "भारत कनेक्ट से बिल भुगतान",
    bn: "ভারত কানেক্টে বিল পেমেন্ট",
    mr: "भारत कनेक्टद्वारे बिल पेमेंट",
    te: "భారత్ కనెక్ట్‌తో బిల్లు చెల్లింపు",
    ta: "பாரத் கனெக்ட் மூலம் பில் செலுத்துதல்",
    gu: "ભારત કનેક્ટથી બિલ ચુકવણી",
    kn: "ಭಾರತ್ ಕನೆಕ್ಟ್ ಮೂಲಕ ಬಿಲ್ ಪಾವತಿ",
    ml: "ഭാരത് കണക്റ്റ് വഴി ബിൽ പേയ്മെന്റ്"
  };
  var script = document.currentScript;
  var widgetOrigin = script && script.src ? new URL(script.src).origin : location.origin;
  var widgets = {};
  var counter = 0;

  function fail(message) {
    console.error("[BBPS] " + message);
    return null;
  }

  // The widget's language for a locale option: a code of ours (`ta`, `ta-IN`), or for `auto` (or nothing) the
  // first of the browser's languages that the widget speaks; English otherwise. The widget decides the same way.
  function language(locale) {
    var wanted = locale && locale !== "auto" ? [locale] : navigator.languages || [navigator.language || ""];
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i]).split(/[-_]/)[0].toLowerCase();
      if (TITLES[code]) return code;
    }
    return "en";
  }

  function title(options) {
    return options.title || TITLES[language(options.locale)];
  }

  function resolve(target) {
    if (typeof target === "string") return document.querySelector(target);
    return target instanceof Element ? target : null;
  }

  function widgetUrl(id, options) {
    var q = new URLSearchParams();
    OPTIONS.forEach(function (name) {
      if (options[name]) q.set(name, String(options[name]));
    });
    if (options.appearance) q.set("appearance", JSON.stringify(options.appearance));
    q.set("parent", location.origin);
    q.set("wid", id);
    return widgetOrigin + "/widget/?" + q.toString();
  }

  function post(widget, type, data) {
    if (!widget.frame.contentWindow) return;
    widget.frame.contentWindow.postMessage(
      { source: "bbps-host", version: PROTOCOL, widgetId: widget.id, type: type, data: data || {} },
      widgetOrigin
    );
  }

  function onMessage(event) {
    // Only the widget's origin may speak, and only for a frame this page created.
    if (event.origin !== widgetOrigin) return;
    var msg = event.data;
    if (!msg || msg.source !== "bbps-widget" || msg.version !== PROTOCOL) return;
    var widget = widgets[msg.widgetId];
    if (!widget || event.source !== widget.frame.contentWindow) return;
    if (msg.type === "resize" && msg.data && msg.data.height > 0) {
      widget.frame.style.height = Math.ceil(msg.data.height) + "px";
    }
    var fns = widget.listeners[msg.type] || [];
    fns.slice().forEach(function (fn) {
      try {
        fn(msg.data || {});
      } catch (e) {
        console.error("[BBPS] a '" + msg.type + "' listener threw", e);
      }
    });
  }

  function mount(target, options) {
    options = options || {};
    var container = resolve(target);
    if (!container) return fail("mount: no container element found for " + String(target));
    if (!options.key || !/^pk_(test|live)_[A-Za-z0-9_]+$/.test(options.key)) {
      return fail("mount: a publishable key (pk_test_... or pk_live_...) is required");
    }
    if (Object.keys(widgets).length === 0) window.addEventListener("message", onMessage);
    var id = "w" + ++counter + "-" + Math.random().toString(36).slice(2, 8);
    var frame = document.createElement("iframe");
    frame.src = widgetUrl(id, options);
    frame.title = title(options);
    // Scripts and same-origin for the widget itself; popups for the receipt and the sandbox UPI app; custom
    // protocols so an "Open UPI app" tap (a user gesture) can launch upi:// links on a phone.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups " +
      "allow-popups-to-escape-sandbox allow-downloads allow-modals allow-top-navigation-to-custom-protocols");
    frame.setAttribute("allow", "clipboard-write");
    // The widget checks its parent origin against document.referrer where the browser lacks
    // location.ancestorOrigins; an origin-only referrer survives a merchant page's no-referrer policy.
    frame.referrerPolicy = "strict-origin";
    frame.setAttribute("loading", "eager");
    frame.style.cssText = "width:100%;min-width:300px;height:560px;border:0;display:block;color-scheme:normal;";
    var widget = { id: id, frame: frame, options: options, listeners: {} };
    widgets[id] = widget;
    container.appendChild(frame);

    var handle = {
      id: id,
      on: function (type, fn) {
        if (EVENTS.indexOf(type) < 0) return fail("on: unknown event '" + type + "'; events: " + EVENTS.join(", "));
        (widget.listeners[type] = widget.listeners[type] || []).push(fn);
        return handle;
      },
      off: function (type, fn) {
        var fns = widget.listeners[type] || [];
        widget.listeners[type] = fn ? fns.filter(function (f) { return f !== fn; }) : [];
        return handle;
      },
      update: function (changes) {
        changes = changes || {};
        Object.keys(changes).forEach(function (k) { widget.options[k] = changes[k]; });
        frame.title = title(widget.options);
        post(widget, "update", { locale: changes.locale, theme: changes.theme, appearance: changes.appearance });
        return handle;
      },
      destroy: function () {
        if (!widgets[id]) return;
        delete widgets[id];
        widget.listeners = {};
        if (frame.parentNode) frame.parentNode.removeChild(frame);
        if (Object.keys(widgets).length === 0) window.removeEventListener("message", onMessage);
      }
    };
    return handle;
  }

  function fromScriptTag() {
    if (!script || !script.hasAttribute("data-key") && !script.hasAttribute("data-container")) return;
    var d = script.dataset;
    var options = {};
    OPTIONS.forEach(function (name) {
      if (d[name]) options[name] = d[name];
    });
    if (d.appearance) {
      try {
        options.appearance = JSON.parse(d.appearance);
      } catch (e) {
        return fail("data-appearance is not valid JSON");
      }
    }
    var start = function () {
      var container = d.container ? resolve(d.container) : null;
      if (!container && !d.container) {
        container = document.createElement("div");
        script.parentNode.insertBefore(container, script.nextSibling);
      }
      if (!container) return fail("data-container: no element matches " + d.container);
      var handle = mount(container, options);
      if (handle) window.BBPS.instances.push(handle);
    };
    // A container already in the page (placed before this tag) is used at once: waiting for the rest of the page
    // would put a round trip or more between the loader and the widget's page on a slow network.
    var ready = d.container && resolve(d.container);
    if (document.readyState === "loading" && !ready) document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  window.BBPS = { version: String(PROTOCOL), mount: mount, instances: [] };
  fromScriptTag();
})();
