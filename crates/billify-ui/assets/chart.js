// The dashboard's balance chart with uPlot. Data comes from the element's data-chart attribute
// (amounts as integer minor units; the table beside the chart says the same in text).
(function () {
  "use strict";
  function draw() {
    var el = document.getElementById("balance-chart");
    if (!el || !window.uPlot) return;
    var data = JSON.parse(el.getAttribute("data-chart"));
    var scale = Math.pow(10, data.digits);
    var xs = [], ys = [];
    data.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1] / scale); });
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
          value: function (u, v) { return v == null ? "" : exact.format(v); } }
      ]
    };
    el.textContent = "";
    var plot = new uPlot(opts, [xs, ys], el);
    window.addEventListener("resize", function () { plot.setSize({ width: Math.max(280, el.clientWidth), height: 240 }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
