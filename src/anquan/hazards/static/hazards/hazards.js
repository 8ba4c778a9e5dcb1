/* Hazard pages: photo previews before upload, the standard-description picker, and the record
   form's dependent sections (重大 report, 立查立改 after-photos, deadline). No data inline in JS. */
(function () {
  "use strict";

  function previews(input) {
    var box = document.querySelector(input.dataset.preview);
    if (!box) return;
    box.textContent = "";
    var files = Array.prototype.slice.call(input.files || []);
    files.forEach(function (file) {
      var fig = document.createElement("figure");
      if (file.type && file.type.indexOf("image/") === 0) {
        var img = document.createElement("img");
        img.alt = file.name;
        img.src = URL.createObjectURL(file);
        img.addEventListener("load", function () { URL.revokeObjectURL(img.src); });
        fig.appendChild(img);
      } else {
        fig.className = "not-image";
      }
      var cap = document.createElement("figcaption");
      cap.textContent = file.type && file.type.indexOf("image/") === 0 ? file.name : file.name + "（不是图片）";
      fig.appendChild(cap);
      box.appendChild(fig);
    });
    if (files.length) {
      var note = document.createElement("div");
      note.className = "small text-muted w-100";
      note.textContent = "已选择 " + files.length + " 张照片";
      box.appendChild(note);
    }
  }

  // The picked criterion: say which item of which library makes it 重大, and ask its "并且" conditions.
  function propose(form, criterion) {
    var option = criterion.options[criterion.selectedIndex];
    var box = form.querySelector("[data-criterion-proposal]");
    form.querySelectorAll("[data-conditions-for]").forEach(function (set) {
      var mine = !!(option && option.value && set.dataset.conditionsFor === option.value);
      set.hidden = !mine;
      set.querySelectorAll("input").forEach(function (input) { input.disabled = !mine; });
    });
    if (!box) return;
    if (!option || !option.value) { box.hidden = true; box.textContent = ""; return; }
    box.textContent = "拟判定为重大事故隐患：依据" + option.dataset.library + "第" + option.dataset.number + "项" +
      (option.hasAttribute("data-has-conditions") ? "（须同时具备下列各项情形）" : "");
    box.hidden = false;
  }

  function sync(form, changed) {
    var criterion = form.querySelector("[data-criterion]");
    var major = form.querySelector("input[name=level][value=major]");
    var general = form.querySelector("input[name=level][value=general]");
    if (criterion && changed === criterion && criterion.value && major) major.checked = true;
    if (criterion && general && changed === general && general.checked) criterion.value = "";
    if (criterion) propose(form, criterion);
    var isMajor = !!(major && major.checked);
    var immediate = form.querySelector("input[name=immediate]");
    if (isMajor && immediate) immediate.checked = false;
    var isImmediate = !!(immediate && immediate.checked);
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var when = el.dataset.showWhen;
      var show = when === "major" ? isMajor : when === "general" ? !isMajor
        : when === "immediate" ? isImmediate : when === "not-immediate" ? !isImmediate : true;
      el.hidden = !show;
    });
  }

  document.addEventListener("change", function (evt) {
    var el = evt.target;
    if (el.matches && el.matches("input[type=file][data-preview]")) previews(el);
    var form = el.closest && el.closest("[data-hazard-form]");
    if (form) sync(form, el);
  });

  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest && evt.target.closest("[data-fill-description]");
    if (!btn) return;
    var form = btn.closest("form") || document;
    var area = form.querySelector("textarea[name=description]");
    if (!area) return;
    area.value = btn.dataset.fillDescription;
    area.dispatchEvent(new Event("input", { bubbles: true }));
    area.focus();
  });

  // A new list of standard descriptions (after picking a category) opens the picker.
  document.addEventListener("htmx:afterSwap", function (evt) {
    if (evt.detail.target && evt.detail.target.id === "descriptions") {
      var picker = evt.detail.target.closest("details");
      if (picker) picker.open = true;
    }
  });

  function init() {
    document.querySelectorAll("[data-hazard-form]").forEach(function (form) { sync(form, null); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
})();
