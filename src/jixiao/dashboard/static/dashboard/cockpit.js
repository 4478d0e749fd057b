/* The cockpit's charts: each <div class="chart"> is drawn from the JSON spec next to it (the same
   rows as its data table), a click on a bar, slice or point follows that row's link, "PNG" saves the
   picture. Full-screen mode is the browser's own (Fullscreen API) plus a larger layout. */
(function () {
  "use strict";
  const charts = [];

  function spec(el) {
    return JSON.parse(document.getElementById(el.dataset.key).textContent);
  }

  function barOption(s, dark) {
    const names = s.rows.map(r => r[s.category_col]);
    const text = dark ? "#e0e6f0" : "#333";
    const cat = {type: "category", data: names, axisLabel: {color: text, interval: 0, width: 160, overflow: "truncate",
                 rotate: !s.horizontal && names.length > 8 ? 40 : 0}, inverse: s.horizontal};
    const val = {type: "value", max: s.unit === "%" ? (v => Math.max(100, Math.ceil(v.max / 10) * 10)) : null,
                 axisLabel: {color: text, formatter: s.unit ? "{value}" + s.unit : "{value}"},
                 splitLine: {lineStyle: {color: dark ? "#33415c" : "#e0e0e0"}}};
    const series = s.series.map((d, i) => {
      const out = {name: d.name, type: d.type, stack: d.stack || undefined,
                   data: s.rows.map(r => {
                     const item = {value: r[d.col]};
                     if (i === 0 && s.color_col !== null && s.colors[r[s.color_col]]) {
                       item.itemStyle = {color: s.colors[r[s.color_col]]};
                     }
                     return item;
                   })};
      if (d.color) out.itemStyle = {color: d.color};
      if (d.type === "scatter") { out.symbol = "diamond"; out.symbolSize = 12; }
      if (d.type === "bar" && !d.stack) {
        out.label = {show: s.rows.length <= 40, position: s.horizontal ? "insideRight" : "top",
                     color: s.horizontal ? "#fff" : text,
                     formatter: p => p.value + (s.unit || "")};
      }
      if (i === 0 && s.mark) {
        out.markLine = {symbol: "none", lineStyle: {color: "#c62828", type: "dashed", width: 2},
                        label: {formatter: s.mark[0] + " " + s.mark[1] + (s.unit || ""), color: "#c62828"},
                        data: [s.horizontal ? {xAxis: s.mark[1]} : {yAxis: s.mark[1]}]};
      }
      return out;
    });
    return {
      animation: false,
      backgroundColor: "transparent",
      // The meeting-room display (dark) is read from across the room: bigger axis and bar labels.
      textStyle: {fontFamily: "Noto Sans CJK SC, Microsoft YaHei, sans-serif", fontSize: dark ? 16 : 12},
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      legend: {show: s.series.length > 1, top: 0, textStyle: {color: text}},
      grid: {left: s.horizontal ? 170 : 50, right: 40, top: s.series.length > 1 ? 36 : 20, bottom: 30,
             containLabel: !s.horizontal},
      xAxis: s.horizontal ? val : cat,
      yAxis: s.horizontal ? cat : val,
      series: series,
    };
  }

  function pieOption(s, dark) {
    const d = s.series[0];
    return {
      animation: false,
      backgroundColor: "transparent",
      tooltip: {trigger: "item", formatter: "{b}：{c}（{d}%）"},
      legend: {bottom: 0, textStyle: {color: dark ? "#e0e6f0" : "#333"}},
      series: [{name: d.name, type: "pie", radius: ["35%", "65%"], label: {formatter: "{b}\n{c}"},
                data: s.rows.map(r => ({name: r[s.category_col], value: r[d.col]}))}],
    };
  }

  function draw(el) {
    const s = spec(el);
    const dark = document.querySelector(".cockpit.screen") !== null;
    const chart = echarts.init(el, dark ? "dark" : null, {renderer: "canvas"});
    chart.setOption(s.kind === "pie" ? pieOption(s, dark) : barOption(s, dark));
    chart.on("click", p => {
      const href = s.links[p.dataIndex];
      if (href) window.location.href = href;
    });
    el.dataset.drawn = String(s.rows.length);
    charts.push({chart: chart, key: s.key, title: s.title});
  }

  function savePng(key) {
    const found = charts.find(c => c.key === key);
    if (!found) return;
    const a = document.createElement("a");
    a.href = found.chart.getDataURL({type: "png", pixelRatio: 2, backgroundColor: "#fff"});
    a.download = found.title + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  function resizeAll() { charts.forEach(c => c.chart.resize()); }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".chart[data-key]").forEach(draw);
    document.querySelectorAll("[data-png]").forEach(b => b.addEventListener("click", () => savePng(b.dataset.png)));
    const fs = document.getElementById("fullscreen");
    const box = document.getElementById("cockpit");
    if (fs && box) {
      fs.addEventListener("click", () => {
        if (document.fullscreenElement) { document.exitFullscreen(); return; }
        box.classList.add("fullscreen");
        (box.requestFullscreen ? box.requestFullscreen() : Promise.reject()).catch(() => {});
        setTimeout(resizeAll, 50);
      });
      document.addEventListener("fullscreenchange", () => {
        if (!document.fullscreenElement) box.classList.remove("fullscreen");
        fs.textContent = document.fullscreenElement ? "退出全屏" : "全屏";
        setTimeout(resizeAll, 50);
      });
    }
    window.addEventListener("resize", resizeAll);
    // A printed page shows every chart's data table, whether or not it was opened on screen.
    let closed = [];
    window.addEventListener("beforeprint", () => {
      closed = [...document.querySelectorAll("details.chart-data-wrap:not([open])")];
      closed.forEach(d => { d.open = true; });
      resizeAll();
    });
    window.addEventListener("afterprint", () => { closed.forEach(d => { d.open = false; }); resizeAll(); });
    window.jixiaoCharts = charts;
  });
})();
