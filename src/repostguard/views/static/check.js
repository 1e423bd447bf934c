// repostguard app, the check box of the start screen: check a text, a link or a picture without
// reloading the page. No inline script (the page's CSP); the words come from data-* attributes.
// Without this script the text form still works (a normal POST; the server draws the answer).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("check-form");
  var drop = document.getElementById("check-drop");
  var result = document.getElementById("check-result");
  var status = document.getElementById("check-status");
  if (!form || !result) { return; }

  // put the server's answer (HTML it escaped) in the box, without innerHTML
  function showAnswer(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    while (result.firstChild) { result.removeChild(result.firstChild); }
    Array.prototype.slice.call(doc.body.childNodes).forEach(function (n) {
      result.appendChild(document.importNode(n, true));
    });
  }

  function showError(text) {
    var p = document.createElement("p");
    p.className = "refusal";
    p.setAttribute("role", "alert");
    p.id = "check-error";
    p.textContent = text;
    while (result.firstChild) { result.removeChild(result.firstChild); }
    result.appendChild(p);
  }

  function post(url, body, contentType, buttons) {
    status.textContent = form.dataset.working;
    buttons.forEach(function (b) { b.disabled = true; });
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", contentType);
    xhr.addEventListener("load", function () {
      status.textContent = "";
      buttons.forEach(function (b) { b.disabled = false; });
      if (xhr.responseText && (xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
        showAnswer(xhr.responseText);
      } else {
        showError(form.dataset.failed);
      }
    });
    xhr.addEventListener("error", function () {
      status.textContent = "";
      buttons.forEach(function (b) { b.disabled = false; });
      showError(form.dataset.failed);
    });
    xhr.send(body);
  }

  var submit = document.getElementById("check-submit");
  var picBtn = document.getElementById("check-picture-btn");
  var kind = document.getElementById("check-kind");
  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var body = new URLSearchParams(new FormData(form)).toString();
    post(form.action + "?part=1", body, "application/x-www-form-urlencoded", [submit, picBtn]);
  });

  function sendPicture(file) {
    if (!file) { showError(drop.dataset.choose); return; }
    var url = drop.dataset.url + "?name=" + encodeURIComponent(file.name) +
      "&kind=" + encodeURIComponent(kind ? kind.value : "post");
    post(url, file, "application/octet-stream", [submit, picBtn]);
  }

  var input = document.getElementById("check-picture");
  if (drop && input && picBtn) {
    picBtn.addEventListener("click", function () {
      sendPicture(input.files && input.files.length ? input.files[0] : null);
    });
    input.addEventListener("change", function () {
      if (input.files && input.files.length) { sendPicture(input.files[0]); }
    });
    var box = document.getElementById("checkbox") || drop;
    ["dragenter", "dragover"].forEach(function (name) {
      box.addEventListener(name, function (ev) {
        ev.preventDefault();
        drop.classList.add("dragging");
      });
    });
    box.addEventListener("dragleave", function () { drop.classList.remove("dragging"); });
    box.addEventListener("drop", function (ev) {
      ev.preventDefault();
      drop.classList.remove("dragging");
      var files = ev.dataTransfer ? ev.dataTransfer.files : null;
      sendPicture(files && files.length ? files[0] : null);
    });
  }
});
