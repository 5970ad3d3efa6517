// Charts read their data from the data-chart attribute (JSON) of their element: no inline script.
(function () {
  "use strict";
  var MANY = 24;
  var palette = ["#0b4f9c", "#a61b1b", "#17623a", "#8a4b00", "#5b3c88", "#2f6f7e", "#7a6a00", "#444"];
  function options(data) {
    if (data.kind === "pie") {
      return {
        color: palette, tooltip: { trigger: "item" }, legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["35%", "65%"], name: data.series[0].name,
                   data: data.labels.map(function (label, i) { return { name: label, value: data.series[0].data[i] }; }) }]
      };
    }
    return {
      color: palette, tooltip: { trigger: "axis" }, legend: { top: 0 },
      grid: { left: 40, right: 16, top: 36, bottom: 60, containLabel: true },
      // every label drawn while they fit; beyond MANY (a commission's 100 groups) ECharts picks which to draw, as
      // 100 labels overlap anyway and measuring and drawing them all was most of the HQ page's load (issue #12);
      // the table under each chart names every category
      xAxis: { type: "category", data: data.labels,
               axisLabel: { interval: data.labels.length > MANY ? "auto" : 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: data.series.map(function (s) { return { type: data.kind, name: s.name, data: s.data, smooth: data.kind === "line" }; })
    };
  }
  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var chart = window.echarts.init(element, null, { renderer: "canvas" });
      chart.setOption(options(JSON.parse(element.getAttribute("data-chart"))));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
