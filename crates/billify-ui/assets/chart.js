// The dashboard's balance chart with uPlot: the past days' balance, then the forecast with its
// low/high band. Data comes from the element's data-chart attribute (amounts as integer minor
// units; the tables beside the chart say the same in text).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("balance-chart");
    if (!el || !window.uPlot) return;
    var data = JSON.parse(el.getAttribute("data-chart"));
    var scale = Math.pow(10, data.digits);
    var xs = [], ys = [], fs = [], lows = [], highs = [];
    data.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1] / scale); fs.push(null); lows.push(null); highs.push(null); });
    var forecast = data.forecast || [];
    if (forecast.length && ys.length) {
      // The forecast starts from today's balance, so the two lines meet.
      var last = ys.length - 1;
      fs[last] = ys[last]; lows[last] = ys[last]; highs[last] = ys[last];
    }
    forecast.forEach(function (p) {
      xs.push(p[0]); ys.push(null); fs.push(p[1] / scale); lows.push(p[2] / scale); highs.push(p[3] / scale);
    });
    var money = new Intl.NumberFormat(data.locale, { style: "currency", currency: data.currency, maximumFractionDigits: 0 });
    var exact = new Intl.NumberFormat(data.locale, { style: "currency", currency: data.currency });
    var date = new Intl.DateTimeFormat(data.locale, { day: "numeric", month: "short" });
    var width = Math.max(280, el.clientWidth);
    var opts = {
      width: width,
      height: 240,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      axes: [
        { values: function (u, vals) { return vals.map(function (v) { return date.format(new Date(v * 1000)); }); } },
        { size: 90, values: function (u, vals) { return vals.map(function (v) { return money.format(v); }); } }
      ],
      series: [
        { label: data.date_label, value: function (u, v) { return v == null ? "" : date.format(new Date(v * 1000)); } },
        { label: data.label, stroke: "#1d4ed8", width: 2, fill: "rgba(29,78,216,0.08)",
          value: function (u, v) { return v == null ? "" : exact.format(v); } },
        { label: data.forecast_label, stroke: "#7c3aed", width: 2, dash: [6, 4],
          value: function (u, v) { return v == null ? "" : exact.format(v); } },
        { label: data.low_label, stroke: "rgba(124,58,237,0.35)", width: 1,
          value: function (u, v) { return v == null ? "" : exact.format(v); } },
        { label: data.high_label, stroke: "rgba(124,58,237,0.35)", width: 1,
          value: function (u, v) { return v == null ? "" : exact.format(v); } }
      ],
      bands: [{ series: [4, 3], fill: "rgba(124,58,237,0.12)" }]
    };
    el.textContent = "";
    var plot = new uPlot(opts, [xs, ys, fs, lows, highs], el);
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
