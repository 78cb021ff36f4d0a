/* The Skjerming panel (issue 18): the public title shown while typing. The server's
   "Show the public title" button gives the same answer without JavaScript; this only
   saves the round trip. It masks as caseflow.domain.screening.mask does: every screened
   word (one per line, or separated by commas or semicolons), case-insensitively, the
   longest first, by ****; a public title typed by hand is shown as it is. No inline
   script: the CSP allows scripts from 'self' only. */
(function () {
  "use strict";
  var MASK = "****";

  function words(text) {
    return text.split(/[\n,;]+/).map(function (w) {
      return w.split(/\s+/).filter(Boolean).join(" ");
    }).filter(Boolean);
  }

  function escape(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }

  function mask(title, list) {
    if (!list.length) return title;
    var ordered = list.slice().sort(function (a, b) { return b.length - a.length; });
    return title.replace(new RegExp(ordered.map(escape).join("|"), "gi"), MASK);
  }

  function update(form) {
    var preview = form.querySelector(".preview");
    var shown = preview && preview.querySelector("strong");
    var typed = form.elements.words ? form.elements.words.value : "";
    var own = form.elements.public_title ? form.elements.public_title.value.trim() : "";
    if (!shown) return;
    var list = words(typed);
    if (!own && !list.length) {
      preview.hidden = true;
      return;
    }
    shown.textContent = own || mask(form.getAttribute("data-title") || "", list);
    preview.hidden = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll("form.screening-form[data-title]");
    Array.prototype.forEach.call(forms, function (form) {
      form.addEventListener("input", function () { update(form); });
    });
  });
})();
