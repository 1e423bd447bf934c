// repostguard app, start screen: send the chosen archive, follow the background job.
// No inline script (the page's CSP): the words come from data-* attributes the server wrote.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  function show(el, text) {
    if (!el) { return; }
    el.textContent = text;
    el.hidden = !text;
  }

  // send one file as the request body; onDone(status, json-or-null)
  function send(url, file, onProgress, onDone) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.addEventListener("progress", function (ev) {
      if (ev.lengthComputable && onProgress) { onProgress(Math.floor(100 * ev.loaded / ev.total)); }
    });
    xhr.addEventListener("load", function () {
      var data = null;
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = null; }
      onDone(xhr.status, data);
    });
    xhr.addEventListener("error", function () { onDone(0, null); });
    xhr.send(file);
  }

  var up = document.getElementById("upload");
  var upBtn = document.getElementById("archive-upload");
  if (up && upBtn) {
    upBtn.addEventListener("click", function () {
      var input = document.getElementById("archive-file");
      var status = document.getElementById("upload-status");
      var err = document.getElementById("upload-error");
      show(err, "");
      if (!input.files || !input.files.length) { show(err, up.dataset.choose); return; }
      var file = input.files[0];
      upBtn.disabled = true;
      send(up.dataset.url + "?name=" + encodeURIComponent(file.name), file, function (p) {
        status.textContent = up.dataset.sending.replace("{p}", String(p));
      }, function (code, data) {
        upBtn.disabled = false;
        status.textContent = "";
        if (code === 200) { window.location.reload(); return; }
        show(err, data && data.error ? data.error : up.dataset.failed);
      });
    });
  }

  // a folder (Telegram Desktop's export): begin, then each file with its path inside the folder, then done
  var fu = document.getElementById("folder-upload");
  var fuBtn = document.getElementById("folder-upload-btn");
  if (fu && fuBtn) {
    fuBtn.addEventListener("click", function () {
      var input = document.getElementById("archive-folder");
      var status = document.getElementById("folder-status");
      var err = document.getElementById("folder-error");
      show(err, "");
      var files = input.files ? Array.prototype.slice.call(input.files) : [];
      if (!files.length) { show(err, fu.dataset.choose); return; }
      var total = 0;
      files.forEach(function (f) { total += f.size; });
      var top = (files[0].webkitRelativePath || files[0].name).split("/")[0];
      var id = null;
      var fail = function (data) {
        if (id !== null) { send(fu.dataset.url + "/cancel?id=" + encodeURIComponent(id), null, null, function () {}); }
        fuBtn.disabled = false;
        status.textContent = "";
        show(err, data && data.error ? data.error : fu.dataset.failed);
      };
      fuBtn.disabled = true;
      var begin = fu.dataset.url + "/begin?name=" + encodeURIComponent(top) + "&files=" + files.length + "&bytes=" + total;
      send(begin, null, null, function (code, data) {
        if (code !== 200 || !data || !data.id) { fail(data); return; }
        id = data.id;
        var i = 0;
        var sent = 0;
        var next = function () {
          if (i >= files.length) {
            send(fu.dataset.url + "/done?id=" + encodeURIComponent(id), null, null, function (c, d) {
              if (c === 200) { window.location.reload(); return; }
              id = null;  // the server dropped the folder already
              fail(d);
            });
            return;
          }
          var f = files[i];
          var p = total ? Math.floor(100 * sent / total) : 100;
          status.textContent = fu.dataset.sending.replace("{i}", String(i + 1)).replace("{n}", String(files.length)).replace("{p}", String(p));
          var url = fu.dataset.url + "/file?id=" + encodeURIComponent(id) + "&path=" + encodeURIComponent(f.webkitRelativePath || f.name);
          send(url, f, null, function (c, d) {
            if (c !== 200) { if (c !== 0) { id = null; } fail(d); return; }
            sent += f.size;
            i += 1;
            next();
          });
        };
        next();
      });
    });
  }

  var lf = document.getElementById("list-file");
  var lfBtn = document.getElementById("list-install");
  if (lf && lfBtn) {
    lfBtn.addEventListener("click", function () {
      var input = document.getElementById("list-input");
      var which = document.getElementById("list-which").value;
      var err = document.getElementById("list-error");
      show(err, "");
      if (!input.files || !input.files.length) { show(err, lf.dataset.choose); return; }
      var file = input.files[0];
      lfBtn.disabled = true;
      var url = lf.dataset.url + "?list=" + encodeURIComponent(which) + "&name=" + encodeURIComponent(file.name);
      send(url, file, null, function (code, data) {
        lfBtn.disabled = false;
        if (code === 200) { window.location.reload(); return; }
        show(err, data && data.error ? data.error : lf.dataset.failed);
      });
    });
  }

  // the job: follow it while it runs; when it ends, the page reloads (the server draws the summary)
  var job = document.getElementById("job");
  if (job && job.dataset.state === "running") {
    var bar = document.getElementById("job-bar");
    window.rgFollow(job.dataset.status, function (s) {
      document.getElementById("job-headline").textContent = s.headline;
      document.getElementById("job-counts").textContent = s.counts_text;
      show(document.getElementById("job-error"), s.error_text);
      if (s.percent === null) { bar.removeAttribute("value"); } else { bar.value = s.percent; }
    });
  }
});
