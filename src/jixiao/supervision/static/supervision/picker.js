// Pickers by name: a filter box above every select or checkbox list marked data-picker. Typing part
// of a name hides the choices that do not contain it; chosen ones always stay visible.
(function () {
  "use strict";
  function box(label, before) {
    var input = document.createElement("input");
    input.type = "search";
    input.className = "picker-filter";
    input.placeholder = "输入名称筛选";
    input.setAttribute("aria-label", "筛选" + (label || ""));
    before.parentNode.insertBefore(input, before);
    return input;
  }
  function labelOf(el) {
    var f = el.closest("fieldset");
    var legend = f && f.querySelector("legend");
    if (legend) return legend.textContent.trim();
    var l = el.closest("label");
    return l && l.firstChild && l.firstChild.nodeType === 3 ? l.firstChild.textContent.trim() : "";
  }
  function selects(root) {
    root.querySelectorAll("select[data-picker]").forEach(function (sel) {
      if (sel.dataset.pickerReady) return;
      sel.dataset.pickerReady = "1";
      var input = box(labelOf(sel), sel);
      input.addEventListener("input", function () {
        var q = input.value.trim();
        Array.prototype.forEach.call(sel.options, function (o) {
          o.hidden = !!q && !o.selected && o.value !== "" && o.text.indexOf(q) < 0;
        });
      });
    });
  }
  function checkboxes(root) {
    var groups = new Set();
    root.querySelectorAll("input[type=checkbox][data-picker]").forEach(function (cb) {
      var group = cb.closest("div[id]");
      if (group && !group.dataset.pickerReady) groups.add(group);
    });
    groups.forEach(function (group) {
      group.dataset.pickerReady = "1";
      group.classList.add("picker-list");
      var input = box(labelOf(group), group);
      input.addEventListener("input", function () {
        var q = input.value.trim();
        group.querySelectorAll("label").forEach(function (l) {
          var cb = l.querySelector("input");
          l.parentNode.hidden = !!q && !(cb && cb.checked) && l.textContent.indexOf(q) < 0;
        });
      });
    });
  }
  function init(root) { selects(root); checkboxes(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (e) { init(e.target); });
})();
