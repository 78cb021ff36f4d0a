/* Switching language keeps what was typed (issue 15). The language buttons post to
   /language, which answers with the same page in the other language; just before that,
   the fields of the page's own forms are kept in sessionStorage (this tab only) and put
   back when the page comes again. Passwords, files and the CSRF token are never kept;
   the hidden expected_version is, so a stale edit is still caught. No inline script:
   the CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var KEY = "caseflow.typed";
  var MAX_AGE_MS = 5 * 60 * 1000;
  var SKIP = { csrf_token: true, lang: true, next: true, overwrite: true };

  function forms() {
    return Array.prototype.slice.call(document.querySelectorAll("main form"));
  }

  function kept(el) {
    if (!el.name || SKIP[el.name] || el.disabled) return false;
    return ["file", "password", "submit", "button", "reset", "image"].indexOf(el.type) < 0;
  }

  function here() {
    return location.pathname + location.search;
  }

  function save() {
    var fields = [];
    forms().forEach(function (form, i) {
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!kept(el)) return;
        if (el.type === "radio" || el.type === "checkbox") {
          fields.push({ f: i, n: el.name, v: el.value, c: el.checked });
        } else if (el.tagName === "SELECT" && el.multiple) {
          var chosen = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
            .map(function (o) { return o.value; });
          fields.push({ f: i, n: el.name, m: chosen });
        } else {
          fields.push({ f: i, n: el.name, v: el.value });
        }
      });
    });
    try {
      sessionStorage.setItem(KEY, JSON.stringify({ at: Date.now(), page: here(), fields: fields }));
    } catch (e) { /* storage full or off: the switch still works, without the text */ }
  }

  function restore() {
    var raw;
    try {
      raw = sessionStorage.getItem(KEY);
      sessionStorage.removeItem(KEY);
    } catch (e) { return; }
    if (!raw) return;
    var saved;
    try { saved = JSON.parse(raw); } catch (e) { return; }
    if (!saved || saved.page !== here() || Date.now() - saved.at > MAX_AGE_MS) return;
    var all = forms();
    var seen = {};
    saved.fields.forEach(function (s) {
      var form = all[s.f];
      if (!form) return;
      var els = Array.prototype.filter.call(form.elements, function (el) {
        return el.name === s.n && kept(el);
      });
      if ("c" in s) {
        els.forEach(function (el) { if (el.value === s.v) el.checked = s.c; });
        return;
      }
      var key = s.f + "/" + s.n;
      var el = els[seen[key] || 0];
      seen[key] = (seen[key] || 0) + 1;
      if (!el) return;
      if (s.m) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = s.m.indexOf(o.value) >= 0; });
      } else {
        el.value = s.v;
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    restore();
    var switcher = document.querySelector("form.language");
    if (switcher) switcher.addEventListener("submit", save);
  });
})();
