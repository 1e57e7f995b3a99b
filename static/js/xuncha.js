// Page behaviour lives here, never inline (the Content-Security-Policy forbids inline scripts).
(function () {
  "use strict";

  // Charts: <div class="chart" data-chart-src="/path/chart.json"> or data-chart='{"...": ...}'.
  function renderCharts(root) {
    if (typeof echarts === "undefined") { return; }
    root.querySelectorAll("[data-chart], [data-chart-src]").forEach(function (el) {
      if (el.dataset.chartReady) { return; }
      el.dataset.chartReady = "1";
      var chart = echarts.init(el);
      var apply = function (option) {
        chart.setOption(option);
        var links = option.xuncha_links;
        if (links) {
          chart.on("click", function (params) {
            var url = links[params.name] || links[params.seriesName + "|" + params.name];
            if (url) { window.location.href = url; }
          });
        }
      };
      if (el.dataset.chart) {
        apply(JSON.parse(el.dataset.chart));
      } else {
        fetch(el.dataset.chartSrc, { credentials: "same-origin" })
          .then(function (r) { return r.json(); }).then(apply);
      }
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  // Confirmation on buttons that change state: <button data-confirm="确定？">.
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-confirm]");
    if (target && !window.confirm(target.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  document.addEventListener("DOMContentLoaded", function () { renderCharts(document); });
  document.addEventListener("htmx:afterSettle", function (event) { renderCharts(event.target); });
})();
