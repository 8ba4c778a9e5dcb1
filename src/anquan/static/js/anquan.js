/* Small page helpers: ECharts from data attributes, re-run after htmx swaps. No inline data in JS. */
(function () {
  "use strict";

  function initCharts(root) {
    if (typeof window.echarts === "undefined") return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.chartReady) return;
      var source = document.getElementById(el.dataset.chartSource);
      if (!source) return;
      var data = JSON.parse(source.textContent);
      var chart = window.echarts.init(el, null, { renderer: "canvas" });
      var kind = el.dataset.chart;
      var option, unit = el.dataset.unit || "家";
      if (kind === "pie") {
        option = {
          tooltip: { trigger: "item", formatter: "{b}：{c} " + unit + "（{d}%）" },
          legend: { show: el.dataset.legend !== "off", bottom: 0, type: "scroll" },
          series: [{
            type: "pie", radius: ["40%", "68%"], center: ["50%", el.dataset.legend === "off" ? "50%" : "45%"], avoidLabelOverlap: true,
            label: { formatter: function (p) { return (el.dataset.label === "full" ? p.name : p.name.charAt(0)) + " " + p.value; } },
            data: data.map(function (d) { return { name: d.name, value: d.value, itemStyle: d.color ? { color: d.color } : undefined }; })
          }]
        };
      } else if (kind === "bar") {
        option = {
          tooltip: { trigger: "axis" },
          grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
          xAxis: { type: "value", minInterval: 1 },
          yAxis: { type: "category", data: data.map(function (d) { return d.name; }), inverse: true },
          series: [{ type: "bar", data: data.map(function (d) { return { value: d.value, itemStyle: d.color ? { color: d.color } : undefined }; }), label: { show: true, position: "right" } }]
        };
      }
      chart.setOption(option);
      el.dataset.chartReady = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { initCharts(document); });
  document.addEventListener("htmx:afterSettle", function (evt) { initCharts(evt.target); });

  // Buttons that ask before doing something irreversible: <button data-confirm="…">
  document.addEventListener("click", function (evt) {
    var btn = evt.target.closest("[data-confirm]");
    if (btn && !window.confirm(btn.dataset.confirm)) { evt.preventDefault(); evt.stopPropagation(); }
  }, true);
})();

/* Collapsible tree (行政区划): children are fetched once with htmx, then shown/hidden. */
document.addEventListener("click", function (evt) {
  var btn = evt.target.closest("[data-tree-toggle]");
  if (!btn) return;
  var list = document.getElementById(btn.getAttribute("aria-controls"));
  if (!list) return;
  var open = btn.getAttribute("aria-expanded") === "true";
  btn.setAttribute("aria-expanded", open ? "false" : "true");
  list.hidden = open;
  if (!open && !list.dataset.loaded && window.htmx) {
    list.dataset.loaded = "1";
    list.innerHTML = '<li class="text-muted small py-1"><span class="spinner-border spinner-border-sm"></span> 加载中……</li>';
    window.htmx.ajax("GET", btn.dataset.url, { target: list, swap: "innerHTML" });
  }
});

/* Filter forms marked data-drop-empty leave empty fields out of the URL (shorter, shareable links). */
document.addEventListener("htmx:configRequest", function (evt) {
  var elt = evt.detail.elt;
  if (!elt || !elt.closest || !elt.closest("[data-drop-empty]")) return;
  var data = evt.detail.formData;  // htmx 2: the FormData behind evt.detail.parameters
  if (!data) return;
  Array.from(new Set(data.keys())).forEach(function (key) {
    if (data.getAll(key).every(function (v) { return v === ""; })) data.delete(key);
  });
});

/* One click, one submission: a form whose button has data-once is sent once; the button is disabled and
   says so. (The server is idempotent on the form's client_key too: this only spares the second request.) */
document.addEventListener("submit", function (evt) {
  var form = evt.target;
  var btn = evt.submitter && evt.submitter.hasAttribute("data-once") ? evt.submitter : form.querySelector("[data-once]");
  if (!btn) return;
  if (form.dataset.sent) { evt.preventDefault(); return; }
  form.dataset.sent = "1";
  setTimeout(function () {  // after the browser has read the submitter's name/value
    btn.disabled = true;
    btn.setAttribute("aria-disabled", "true");
    if (btn.dataset.once) btn.textContent = btn.dataset.once;
  }, 0);
});
