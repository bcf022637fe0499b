// Multi-file upload with drag-and-drop and a progress bar per file. No framework.
// Without JS the form posts every file at once (the server answers with a page).
// Each file is posted on its own to the form's action; the server answers JSON:
// {ok: true, url} or {ok: false, error, code, version_url}. When a file of the same name is
// already in the folder (code "name_exists"), the person may register it as a new version.
(function () {
  "use strict";

  function csrf(form) {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function post(form, url, file, row, onDone) {
    const bar = row.querySelector("progress");
    const status = row.querySelector("[data-status]");
    bar.hidden = false;
    bar.value = 0;
    status.textContent = "";
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrf(form));
    data.append("file", file, file.name);
    const comment = form.querySelector("[name=comment]");
    if (comment && comment.value) data.append("comment", comment.value);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.setRequestHeader("Accept", "application/json");
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100);
    });
    xhr.addEventListener("load", () => {
      let body = null;
      try { body = JSON.parse(xhr.responseText); } catch (err) { body = null; }
      if (!body) body = { ok: false, error: form.dataset.msgFailed + " (" + xhr.status + ")" };
      onDone(body);
    });
    xhr.addEventListener("error", () => onDone({ ok: false, error: form.dataset.msgNetwork }));
    xhr.send(data);
  }

  function show(form, row, file, body) {
    const status = row.querySelector("[data-status]");
    const bar = row.querySelector("progress");
    status.textContent = "";
    row.classList.remove("upload-ok", "upload-error");
    if (body.ok) {
      bar.value = 100;
      row.classList.add("upload-ok");
      const link = document.createElement("a");
      link.href = body.url;
      link.textContent = form.dataset.msgDone;
      status.appendChild(link);
      return;
    }
    bar.hidden = true;
    row.classList.add("upload-error");
    const msg = document.createElement("span");
    msg.className = "error";
    msg.setAttribute("role", "alert");
    msg.textContent = body.error || form.dataset.msgFailed;
    status.appendChild(msg);
    if (body.code === "name_exists" && body.version_url) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-small";
      button.dataset.addVersion = "";
      button.textContent = form.dataset.msgVersion;
      button.addEventListener("click", () => {
        button.disabled = true;
        post(form, body.version_url, file, row, (answer) => show(form, row, file, answer));
      });
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  function uploadAll(form, files) {
    const list = form.querySelector("[data-upload-list]");
    Array.from(files).forEach((file) => {
      const row = document.createElement("li");
      row.className = "upload-row";
      row.dataset.file = file.name;
      const name = document.createElement("span");
      name.className = "upload-name";
      name.textContent = file.name;
      const bar = document.createElement("progress");
      bar.max = 100;
      bar.value = 0;
      const status = document.createElement("span");
      status.dataset.status = "";
      row.append(name, bar, status);
      list.appendChild(row);
      post(form, form.action, file, row, (body) => show(form, row, file, body));
    });
  }

  function init(form) {
    const input = form.querySelector("input[type=file]");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (input.files.length) uploadAll(form, input.files);
      input.value = "";
    });
    const zone = form.querySelector("[data-dropzone]");
    if (!zone) return;
    ["dragenter", "dragover"].forEach((type) =>
      zone.addEventListener(type, (event) => {
        event.preventDefault();
        zone.classList.add("dragging");
      })
    );
    ["dragleave", "drop"].forEach((type) =>
      zone.addEventListener(type, () => zone.classList.remove("dragging"))
    );
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) uploadAll(form, event.dataTransfer.files);
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-upload]").forEach(init);
  });
})();
