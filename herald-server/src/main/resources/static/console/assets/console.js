// Herald console: a little behaviour on top of server-rendered pages. No inline scripts (the CSP forbids them).
(function () {
  "use strict";
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  // times are rendered as <time datetime="UTC ISO">; show them in the operator's own timezone
  function localTimes(root) {
    root.querySelectorAll("time[datetime]").forEach(function (t) {
      var d = new Date(t.getAttribute("datetime"));
      if (!isNaN(d)) { t.textContent = d.toLocaleString(); t.title = t.getAttribute("datetime") + " UTC"; }
    });
    // forms that take local date-times say which zone they are in
    root.querySelectorAll("input[name=tz]").forEach(function (i) { if (!i.value) i.value = zone; });
  }

  // the overview chart: data in a data- attribute, drawn with uPlot
  function charts(root) {
    root.querySelectorAll("[data-throughput]").forEach(function (el) {
      if (el.dataset.drawn || typeof uPlot === "undefined") return;
      el.dataset.drawn = "1";
      var d = JSON.parse(el.getAttribute("data-throughput"));
      var width = Math.max(300, el.clientWidth - 16);
      new uPlot({
        width: width, height: 220, title: "Outcomes per minute, last hour",
        series: [{}, { label: "sent", stroke: "#1c7c3a", width: 2 }, { label: "failed", stroke: "#b3261e", width: 2 }],
        axes: [{}, { label: "per minute" }]
      }, [d.t, d.sent, d.failed], el);
    });
  }

  // check-all boxes (dead letters)
  function checkAll(root) {
    root.querySelectorAll("input[data-check-all]").forEach(function (box) {
      box.addEventListener("change", function () {
        document.querySelectorAll("input[name='" + box.getAttribute("data-check-all") + "']").forEach(function (c) { c.checked = box.checked; });
      });
    });
  }

  // buttons with data-confirm ask first
  document.addEventListener("submit", function (e) {
    var b = e.submitter;
    var msg = (b && b.getAttribute("data-confirm")) || e.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) e.preventDefault();
  }, true);

  function init(root) { localTimes(root); charts(root); checkAll(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:configRequest", function (e) {
    var m = document.querySelector("meta[name=csrf-token]");
    if (m) e.detail.headers["X-CSRF-Token"] = m.getAttribute("content");
  });
  document.addEventListener("htmx:load", function (e) { init(e.detail.elt); });
})();
