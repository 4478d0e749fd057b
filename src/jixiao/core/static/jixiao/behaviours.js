// Page behaviours without inline script (the Content-Security-Policy allows scripts only from the
// site's static files). Delegated from the document, so fragments swapped in by htmx work too.
//   data-confirm="…"   on a form: asked before it is submitted; on a button: before its click submits
//   data-require="name" data-require-message="…"   on a button: the form's field must not be blank
//   data-autosubmit    on a select: changing it submits its form (data-autosubmit-clear="a b": after
//                      blanking the form's fields a and b)
//   data-print         on a button: prints the page
//   data-check-all="selector"   on a checkbox: ticks or clears every box the selector finds
//   button.copy-link (data-link, data-status, data-text, data-copied, data-manual): copies the link
//   data-fill="a b"    on a select whose values read "x|y": choosing one sets the fields of ids a and
//                      b to x and y (and on load, when field a is still empty)
(function () {
  "use strict";
  document.addEventListener("click", function (ev) {
    const el = ev.target instanceof Element ? ev.target.closest("[data-confirm],[data-require],[data-print],[data-check-all],button.copy-link") : null;
    if (!el || el.tagName === "FORM") return;
    if (el.hasAttribute("data-check-all")) {
      document.querySelectorAll(el.getAttribute("data-check-all")).forEach(function (c) { c.checked = el.checked; });
      return;
    }
    if (el.hasAttribute("data-print")) { ev.preventDefault(); window.print(); return; }
    if (el.classList.contains("copy-link")) { copyLink(el); return; }
    const need = el.getAttribute("data-require");
    if (need && el.form && el.form.elements[need] && !String(el.form.elements[need].value).trim()) {
      ev.preventDefault();
      window.alert(el.getAttribute("data-require-message") || "");
      return;
    }
    const msg = el.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  });
  document.addEventListener("submit", function (ev) {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement)) return;
    const msg = form.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) ev.preventDefault();
  }, true);
  document.addEventListener("change", function (ev) {
    const el = ev.target;
    if (!(el instanceof Element) || !el.hasAttribute("data-autosubmit") || !el.form) return;
    (el.getAttribute("data-autosubmit-clear") || "").split(/\s+/).filter(Boolean).forEach(function (n) {
      if (el.form.elements[n]) el.form.elements[n].value = "";
    });
    el.form.submit();
  });
  function fill(select) {
    const ids = (select.getAttribute("data-fill") || "").split(/\s+/).filter(Boolean);
    const parts = String(select.value).split("|");
    ids.forEach(function (id, i) { const f = document.getElementById(id); if (f) f.value = parts[i] || ""; });
  }
  document.addEventListener("change", function (ev) {
    const el = ev.target;
    if (el instanceof Element && el.hasAttribute("data-fill")) fill(el);
  });
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("select[data-fill]").forEach(function (el) {
      const first = document.getElementById((el.getAttribute("data-fill") || "").split(/\s+/)[0]);
      if (first && !first.value) fill(el);
    });
  });
  async function copyLink(btn) {
    // The clipboard needs a secure page (https or localhost); where the browser refuses, the link's
    // text is selected so Ctrl+C copies it.
    const out = document.getElementById(btn.dataset.status);
    const words = document.getElementById("copy-link-words");
    const said = function (key) { return btn.dataset[key] || (words ? words.dataset[key] : "") || ""; };
    try {
      await navigator.clipboard.writeText(btn.dataset.link);
      if (out) out.textContent = said("copied");
    } catch (err) {
      const text = document.getElementById(btn.dataset.text);
      if (text) {
        const r = document.createRange();
        r.selectNodeContents(text);
        getSelection().removeAllRanges();
        getSelection().addRange(r);
      }
      if (out) out.textContent = said("manual");
    }
  }
})();
