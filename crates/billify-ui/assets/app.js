// Billify's own script: small enhancements over forms that work without it.
// No inline handlers anywhere (the CSP forbids them): behaviour hangs on data attributes.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Selects that act at once (organisation, language): submit on change.
  document.addEventListener("change", function (e) {
    var t = e.target;
    if (t && t.matches && t.matches("select[data-autosubmit]") && t.form) {
      // The language switch comes back to this page (pages send no Referer).
      if (t.form.matches(".lang-form") && !t.form.querySelector("input[name=next]")) {
        var next = document.createElement("input");
        next.type = "hidden";
        next.name = "next";
        next.value = window.location.pathname + window.location.search;
        t.form.appendChild(next);
      }
      t.form.requestSubmit ? t.form.requestSubmit() : t.form.submit();
    }
  });

  // Upload: drop or choose several files; each is sent on its own with its progress bar.
  function setupUpload() {
    var form = document.getElementById("upload-form");
    var list = document.getElementById("upload-list");
    if (!form || !list || !window.FormData || !window.XMLHttpRequest) return;
    var input = form.querySelector("input[type=file]");
    var csrf = form.querySelector("input[name=csrf_token]").value;

    function send(file) {
      var item = document.createElement("li");
      item.className = "upload pending";
      var name = document.createElement("span");
      name.className = "file";
      name.textContent = file.name;
      var bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      bar.setAttribute("aria-label", list.dataset.labelUploading + " " + file.name);
      item.appendChild(name);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(bar);
      list.appendChild(item);
      var body = new FormData();
      body.append("file", file, file.name);
      var xhr = new XMLHttpRequest();
      xhr.open("POST", "/upload");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.upload.onprogress = function (ev) {
        if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
      };
      xhr.onload = function () {
        // The server answers with the item's markup (escaped server-side).
        if (xhr.responseText && /^\s*<li/.test(xhr.responseText)) {
          var tmp = document.createElement("ul");
          tmp.innerHTML = xhr.responseText;
          list.replaceChild(tmp.firstElementChild, item);
        } else {
          item.className = "upload failed";
          bar.remove();
          item.appendChild(document.createTextNode(" ✕ " + list.dataset.labelFailed + " (" + xhr.status + ")"));
        }
      };
      xhr.onerror = function () {
        item.className = "upload failed";
        bar.remove();
        item.appendChild(document.createTextNode(" ✕ " + list.dataset.labelFailed));
      };
      xhr.send(body);
    }

    function sendAll(files) {
      for (var i = 0; i < files.length; i++) send(files[i]);
    }

    form.addEventListener("submit", function (e) {
      if (!input.files.length) return;
      e.preventDefault();
      sendAll(input.files);
      input.value = "";
    });
    input.addEventListener("change", function () {
      if (input.files.length) {
        sendAll(input.files);
        input.value = "";
      }
    });
    ["dragenter", "dragover"].forEach(function (type) {
      form.addEventListener(type, function (e) {
        e.preventDefault();
        form.classList.add("over");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      form.addEventListener(type, function (e) {
        e.preventDefault();
        form.classList.remove("over");
      });
    });
    form.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) sendAll(e.dataTransfer.files);
    });
  }

  // Forms marked data-progress (a statement import): the file is sent with a progress bar,
  // then the bar runs while the server works, and the page it answers with is opened. Without
  // the script the form posts as usual.
  function setupProgressForms() {
    var forms = document.querySelectorAll("form[data-progress]");
    Array.prototype.forEach.call(forms, function (form) {
      if (!window.FormData || !window.XMLHttpRequest) return;
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var status = form.querySelector(".progress-status");
        if (!status) {
          status = document.createElement("p");
          status.className = "progress-status";
          status.setAttribute("role", "status");
          form.appendChild(status);
        }
        status.textContent = "";
        var label = document.createElement("span");
        label.textContent = form.dataset.labelSending + " ";
        var bar = document.createElement("progress");
        bar.max = 100;
        bar.value = 0;
        bar.setAttribute("aria-label", form.dataset.labelSending);
        status.appendChild(label);
        status.appendChild(bar);
        var button = form.querySelector("button[type=submit]");
        if (button) button.disabled = true;
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.upload.onprogress = function (ev) {
          if (ev.lengthComputable) bar.value = Math.round((ev.loaded / ev.total) * 100);
        };
        xhr.upload.onload = function () {
          // Sent: the server reads and stores it now; the bar runs without a figure.
          bar.removeAttribute("value");
          label.textContent = form.dataset.labelWorking + " ";
          bar.setAttribute("aria-label", form.dataset.labelWorking);
        };
        function failed(detail) {
          if (button) button.disabled = false;
          status.textContent = "✕ " + form.dataset.labelFailed + (detail ? ": " + detail : "");
          status.className = "progress-status error";
        }
        xhr.onload = function () {
          if (xhr.status < 400) {
            window.location.assign(xhr.responseURL || form.action);
            return;
          }
          // The server's error page says what went wrong: show its message, not the page.
          var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
          var message = doc.querySelector(".error-detail");
          failed(message ? message.textContent.trim() : String(xhr.status));
        };
        xhr.onerror = function () {
          failed("");
        };
        xhr.send(new FormData(form));
      });
    });
  }

  // The live dashboard: the event stream (htmx's SSE extension, connected by the page's body)
  // refreshes the figures.
  // While the stream is down (an error, or no EventSource in this browser) the figures are
  // polled every data-poll-seconds instead; when it is back, one refresh catches up on what the
  // outage hid. data-live says which is in use ("stream" or "polling").
  function setupLive() {
    var live = document.getElementById("live");
    if (!live) return;
    var seconds = parseInt(live.dataset.pollSeconds, 10) || 30;
    var timer = null;
    var lost = false;
    function refresh() {
      var figures = document.getElementById("live-figures");
      if (figures && window.htmx) window.htmx.trigger(figures, "billify:poll");
    }
    function poll() {
      lost = true;
      live.dataset.live = "polling";
      if (!timer) timer = window.setInterval(refresh, seconds * 1000);
    }
    if (!window.EventSource || !window.htmx) {
      poll();
      return;
    }
    document.body.addEventListener("htmx:sseOpen", function () {
      if (timer) window.clearInterval(timer);
      timer = null;
      live.dataset.live = "stream";
      if (lost) refresh();
      lost = false;
    });
    document.body.addEventListener("htmx:sseError", poll);
  }

  function setup() {
    setupUpload();
    setupProgressForms();
    setupLive();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
