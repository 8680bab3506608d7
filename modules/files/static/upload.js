// Uploads of a folder's page: the files chosen or dropped go one by one through the API, each
// with its progress bar (XHR upload progress); without JavaScript the plain form posts them all.
const form = document.getElementById("upload-form");
const input = document.getElementById("upload-files");
const zone = document.getElementById("dropzone");
const list = document.getElementById("upload-progress");
const csrf = form.querySelector("input[name=_csrf]").value;

function send(file) {
  const li = document.createElement("li");
  const name = document.createElement("span");
  name.textContent = file.name;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", file.name);
  const state = document.createElement("span");
  state.textContent = "0 %";
  li.append(name, bar, state);
  list.append(li);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable) {
        bar.value = Math.round((e.loaded / e.total) * 100);
        state.textContent = bar.value + " %";
      }
    });
    xhr.addEventListener("load", () => {
      const ok = xhr.status === 201;
      bar.value = ok ? 100 : bar.value;
      let msg = ok ? form.dataset.done : form.dataset.failed;
      if (!ok) {
        try { msg += " " + (JSON.parse(xhr.responseText).errors?.[0]?.message || JSON.parse(xhr.responseText).detail || ""); } catch { /* not JSON */ }
      }
      state.textContent = msg;
      li.classList.add(ok ? "done" : "failed");
      resolve(ok);
    });
    xhr.addEventListener("error", () => { state.textContent = form.dataset.failed; li.classList.add("failed"); resolve(false); });
    const body = new FormData();
    body.append("file", file);
    xhr.send(body);
  });
}

async function uploadAll(files) {
  if (!files.length) return;
  form.querySelector("button[type=submit]").setAttribute("aria-busy", "true");
  let all = true;
  for (const f of files) all = (await send(f)) && all;
  form.querySelector("button[type=submit]").removeAttribute("aria-busy");
  form.dataset.finished = all ? "ok" : "partly";
  if (all) setTimeout(() => location.reload(), 400);
}

form.addEventListener("submit", (e) => {
  e.preventDefault();
  uploadAll([...input.files]);
});
for (const ev of ["dragenter", "dragover"]) zone.addEventListener(ev, (e) => { e.preventDefault(); zone.classList.add("over"); });
for (const ev of ["dragleave", "drop"]) zone.addEventListener(ev, () => zone.classList.remove("over"));
zone.addEventListener("drop", (e) => {
  e.preventDefault();
  uploadAll([...e.dataTransfer.files]);
});
