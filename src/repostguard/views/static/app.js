// repostguard review page: small progressive enhancements; the page works without them.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var all = document.getElementById("select-all");
  if (all) {
    all.addEventListener("change", function () {
      document.querySelectorAll("input.pick").forEach(function (box) { box.checked = all.checked; });
    });
  }
  var filters = document.getElementById("filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (sel) {
      sel.addEventListener("change", function () { filters.submit(); });
    });
  }
  var bulk = document.getElementById("bulk");
  if (bulk) {
    bulk.addEventListener("submit", function (ev) {
      var allMode = document.getElementById("bulk-all");
      if (allMode && allMode.checked) {
        var label = allMode.parentElement ? allMode.parentElement.textContent.trim() : "";
        if (!window.confirm(label + "?")) { ev.preventDefault(); }
      } else if (!document.querySelector("input.pick:checked")) {
        ev.preventDefault();
      }
    });
  }
});
