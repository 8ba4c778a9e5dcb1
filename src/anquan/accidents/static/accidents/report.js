/* The accident report keeps what was typed in this browser (localStorage) until the report is filed:
   a dropped connection or a closed tab loses nothing. Files are not kept (browsers do not allow it).
   The detail page shown after a successful report (?filed=1) clears the draft. */
(function () {
  "use strict";
  function store() { try { return window.localStorage; } catch (e) { return null; } }
  var ls = store();
  var clear = document.querySelector("[data-clear-draft]");
  if (clear && ls) { ls.removeItem(clear.getAttribute("data-clear-draft")); }
  var form = document.getElementById("accident-form");
  if (!form || !ls) { return; }
  var key = form.getAttribute("data-draft-key");
  var SKIP = { csrfmiddlewaretoken: 1, photos: 1, site: 1 };

  function fields() {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !SKIP[el.name] && el.type !== "file" && el.type !== "submit" && el.type !== "button";
    });
  }
  function save() {
    var data = { saved: Date.now(), values: {} };
    fields().forEach(function (el) {
      data.values[el.name] = el.type === "checkbox" ? el.checked : el.value;
    });
    try { ls.setItem(key, JSON.stringify(data)); } catch (e) { /* storage full: nothing to do */ }
  }
  function restore() {
    var raw = ls.getItem(key);
    if (!raw) { return false; }
    var data;
    try { data = JSON.parse(raw); } catch (e) { return false; }
    var changed = false;
    fields().forEach(function (el) {
      if (!(el.name in data.values)) { return; }
      var v = data.values[el.name];
      if (el.type === "checkbox") { if (el.checked !== !!v) { el.checked = !!v; changed = true; } }
      else if (el.value !== v) { el.value = v; changed = true; }
    });
    return changed;
  }
  if (form.getAttribute("data-restore") === "1" && restore()) {
    var note = document.getElementById("draft-restored");
    if (note) { note.classList.remove("d-none"); }
    var first = form.querySelector("#figures input");
    if (first) { first.dispatchEvent(new Event("input", { bubbles: true })); }
  }
  var discard = document.getElementById("draft-discard");
  if (discard) {
    discard.addEventListener("click", function () { ls.removeItem(key); window.location.reload(); });
  }
  form.addEventListener("input", save);
  form.addEventListener("change", save);
  form.addEventListener("submit", save);
})();
