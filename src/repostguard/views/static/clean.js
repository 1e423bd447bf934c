// repostguard app, clean-up page: follow the running clean-up (window.rgFollow, app.js); when it stops,
// the page reloads and the server draws what to do next. No inline script (the page's CSP).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var run = document.getElementById("run");
  if (!run || run.dataset.state !== "running") { return; }
  window.rgFollow(run.dataset.status, function (s) {
    document.getElementById("job-headline").textContent = s.headline;
    document.getElementById("job-counts").textContent = s.counts_text;
  });
});
