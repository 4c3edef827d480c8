// The workbench's only script besides htmx: it listens to /events (server-sent events) and
// refreshes what a change touched: the preview, a row saved on disk by another program, the
// progress of a build. Every page works without it, minus the live updates.
(function () {
  "use strict";
  var workspace = document.querySelector(".workspace");
  var progress = document.getElementById("build-progress");
  if (!workspace && !progress) { return; }
  var locale = workspace ? workspace.dataset.locale : null;
  var domain = workspace ? workspace.dataset.domain : null;

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form.message");
    if (form) { form.dataset.dirty = "1"; }
  });

  function reloadPreview() {
    var frame = document.getElementById("preview");
    if (!frame) { return; }
    var base = frame.getAttribute("src").split("?")[0];
    frame.setAttribute("src", base + "?v=" + Date.now());
    var state = document.getElementById("preview-state");
    if (state) { state.textContent = "Preview updated " + new Date().toLocaleTimeString(); }
  }

  function refreshRow(key) {
    var row = document.getElementById("row-" + key);
    if (!row || !window.htmx) { return; }
    var form = row.querySelector("form.message");
    if (form && form.dataset.dirty === "1") {
      var number = row.querySelector(".number").textContent;
      document.getElementById("disk-news").textContent =
        "Row " + number + " was changed on disk while you were typing: saving now will show you both.";
      return;
    }
    window.htmx.ajax("GET", "/catalogs/" + locale + "/" + domain + "/" + key, {target: row, swap: "outerHTML"});
    document.getElementById("disk-news").textContent = "A row was changed on disk and is shown as saved there.";
  }

  var source = new EventSource("/events");
  source.addEventListener("change", function (event) {
    var change = JSON.parse(event.data);
    if (change.kind === "build" && progress) {
      var item = document.createElement("li");
      item.textContent = change.line;
      progress.appendChild(item);
      return;
    }
    if (!workspace) { return; }
    if (change.kind === "project" || change.locale === locale) { reloadPreview(); }
    if (change.kind === "catalog" && change.locale === locale && change.domain === domain) {
      (change.keys || []).forEach(refreshRow);
    }
  });
  document.body.addEventListener("htmx:afterSwap", function (event) {
    var form = event.detail.target && event.detail.target.querySelector && event.detail.target.querySelector("form.message");
    if (form) { delete form.dataset.dirty; }
  });
}());
