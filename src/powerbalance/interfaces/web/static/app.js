// Draw every figure whose data the page carries as a JSON block, and follow job progress.
"use strict";
(function () {
  function draw() {
    if (typeof Plotly === "undefined") { return; }
    document.querySelectorAll("div.figure[data-figure]").forEach(function (el) {
      var block = document.getElementById(el.getAttribute("data-figure"));
      if (!block) { return; }
      var fig = JSON.parse(block.textContent);
      Plotly.newPlot(el, fig.data, fig.layout || {}, { displaylogo: false, responsive: true })
        .then(function () {
          el.setAttribute("data-drawn", "1");
          // a figure inside [data-year-href] opens the year of the point clicked (History page)
          var link = el.closest("[data-year-href]");
          if (link && el.on) {
            el.on("plotly_click", function (ev) {
              var p = ev && ev.points && ev.points[0];
              if (!p) { return; }
              var year = Math.round(Number(p.customdata !== undefined ? p.customdata : p.x));
              if (isFinite(year)) { window.location.href = link.getAttribute("data-year-href") + year + "#year"; }
            });
          }
        });
    });
  }
  function follow() {
    var box = document.getElementById("job");
    if (!box) { return; }
    var status = box.getAttribute("data-status");
    if (status === "done" || status === "failed") { return; }
    var id = box.getAttribute("data-job");
    var labels = JSON.parse(box.getAttribute("data-labels") || "{}");
    var tick = function () {
      fetch("/api/jobs/" + encodeURIComponent(id) + "?result=0", { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (job) {
          document.getElementById("job-status").textContent = labels[job.status] || job.status;
          document.getElementById("job-count").textContent = job.done + " / " + job.total;
          if (job.fraction !== null) { document.getElementById("job-progress").value = job.fraction; }
          if (job.status === "done" || job.status === "failed") { window.location.reload(); }
          else { setTimeout(tick, 400); }
        })
        .catch(function () { setTimeout(tick, 1000); });
    };
    setTimeout(tick, 300);
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); follow(); });
})();
