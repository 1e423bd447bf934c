// repostguard review page: small progressive enhancements; the page works without them.
"use strict";

// follow a background job: poll its JSON status, hand each running state to update(s); when it is no
// longer running, reload (the server draws what comes next). Used by the start and clean-up pages.
window.rgFollow = function (url, update) {
  var poll = function () {
    var xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    xhr.addEventListener("load", function () {
      var s = null;
      try { s = JSON.parse(xhr.responseText); } catch (e) { s = null; }
      if (!s) { window.setTimeout(poll, 2000); return; }
      if (s.state !== "running") { window.location.reload(); return; }
      update(s);
      window.setTimeout(poll, 600);
    });
    xhr.addEventListener("error", function () { window.setTimeout(poll, 2000); });
    xhr.send();
  };
  window.setTimeout(poll, 400);
};

// a picture with a symbol found in it is blurred until the person asks to see it
document.addEventListener("click", function (e) {
  var b = e.target;
  if (b && b.classList && b.classList.contains("unblur")) {
    b.parentNode.classList.add("shown");
  }
});

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
