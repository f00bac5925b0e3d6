// The reports page: while a report is queued or being rendered, fetch the page again every few
// seconds and put the new states in place. No inline script; without JavaScript the page has
// a refresh link instead.
(function () {
  "use strict";
  var region = document.getElementById("report-status");
  if (!region) { return; }
  var seconds = Number(region.getAttribute("data-refresh-seconds")) || 3;

  function update(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("report-status");
    if (!fresh) { return false; }
    region.innerHTML = fresh.innerHTML;
    region.setAttribute("data-pending", fresh.getAttribute("data-pending") || "false");
    return true;
  }

  function poll() {
    if (region.getAttribute("data-pending") !== "true") { return; }
    window.setTimeout(function () {
      fetch(window.location.href, { credentials: "same-origin" })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.text();
        })
        .then(function (html) { if (update(html)) { poll(); } })
        .catch(function () { window.setTimeout(poll, seconds * 4000); });
    }, seconds * 1000);
  }

  poll();
})();
