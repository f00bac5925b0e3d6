// Draw every chart on the page: a Vega-Lite spec in a JSON script element, drawn as SVG by
// vega-embed with the CSP-compliant expression interpreter (the site allows no 'unsafe-eval').
// vega-embed and its tooltip would add <style> elements, which the CSP (no inline style) blocks:
// their rules are in site.css instead.
(function () {
  "use strict";
  function draw(target) {
    var source = document.getElementById(target.getAttribute("data-chart-spec"));
    if (!source || !window.vegaEmbed) { return; }
    var spec = JSON.parse(source.textContent);
    window.vegaEmbed(target, spec, {
      renderer: "svg",
      actions: false,
      defaultStyle: false,
      tooltip: { disableDefaultStyle: true },
      ast: true,
      expr: window.vegaExpressionInterpreter,
      config: { font: "Noto Sans CJK TC, Noto Sans TC, sans-serif" }
    }).then(function () {
      target.setAttribute("data-chart-drawn", "true");
      var svg = target.querySelector("svg");
      if (svg) {
        svg.setAttribute("role", "img");
        svg.setAttribute("aria-label", target.getAttribute("data-chart-label") || "");
      }
    }).catch(function (error) {
      target.setAttribute("data-chart-error", String(error));
    });
  }
  function drawAll() {
    document.querySelectorAll("[data-chart-spec]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
