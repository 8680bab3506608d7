// Uploads of a folder's page: the files chosen or dropped go one by one through the API, each
// with its progress bar (XHR upload progress); without JavaScript the plain form posts them all.
// A file over form.dataset.chunked bytes goes as a resumable upload (resumable.go): a session,
// then chunks of CHUNK bytes (8 MiB); after a network error the uploader waits, asks the server where
// the upload stands and goes on from there (a few times, then it says it failed). The session
// id is kept in localStorage, so that choosing the same file again after a reload resumes it.
const form = document.getElementById("upload-form");
const input = document.getElementById("upload-files");
const zone = document.getElementById("dropzone");
const list = document.getElementById("upload-progress");
const csrf = form.querySelector("input[name=_csrf]").value;

const CHUNK = 8 << 20;
const RETRIES = 6;

// xhr sends one request and resolves with it (status 0: the network failed).
function xhr(method, url, body, headers, onProgress) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    x.open(method, url);
    x.setRequestHeader("X-CSRF-Token", csrf);
    for (const [k, v] of Object.entries(headers || {})) x.setRequestHeader(k, v);
    if (onProgress) x.upload.addEventListener("progress", (e) => onProgress(e.loaded));
    x.addEventListener("load", () => resolve(x));
    x.addEventListener("error", () => resolve({ status: 0, responseText: "" }));
    x.send(body);
  });
}

function problemText(x) {
  try {
    const p = JSON.parse(x.responseText);
    return p.errors?.[0]?.message || p.detail || "";
  } catch { return ""; }
}

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

// sendChunked uploads file through a resumable session, calling progress(bytes sent).
async function sendChunked(file, progress, note) {
  const api = form.dataset.api.replace(/\/files$/, "");
  const memo = "gc-upload:" + form.dataset.api + ":" + file.name + ":" + file.size + ":" + file.lastModified;
  let id = localStorage.getItem(memo);
  let offset = -1;
  if (id) {
    const x = await xhr("GET", form.dataset.uploads + "/" + id);
    if (x.status === 200) offset = JSON.parse(x.responseText).offset;
  }
  if (offset < 0) {
    const x = await xhr("POST", api + "/uploads", JSON.stringify({ name: file.name, size: file.size }), { "Content-Type": "application/json" });
    if (x.status !== 201) return { ok: false, msg: problemText(x) };
    id = String(JSON.parse(x.responseText).id);
    offset = 0;
    localStorage.setItem(memo, id);
  }
  const url = form.dataset.uploads + "/" + id;
  const chunk = Number(form.dataset.chunk) || CHUNK; // data-chunk: the browser test's small chunks
  let tries = 0;
  while (offset < file.size) {
    const end = Math.min(offset + chunk, file.size);
    const x = await xhr("PUT", url, file.slice(offset, end), { "Content-Range": `bytes ${offset}-${end - 1}/${file.size}`, "Content-Type": "application/octet-stream" },
      (n) => progress(offset + n));
    if (x.status === 200) {
      offset = JSON.parse(x.responseText).offset;
      tries = 0;
      note("");
      continue;
    }
    if (x.status !== 0 && x.status !== 409 && x.status < 500) return { ok: false, msg: problemText(x) };
    if (++tries > RETRIES) return { ok: false, msg: "" };
    // The network failed, or the server had another chunk: ask where the upload stands.
    note(form.dataset.resuming);
    await wait(Math.min(1000 * 2 ** (tries - 1), 15000));
    const at = await xhr("GET", url);
    if (at.status === 200) offset = JSON.parse(at.responseText).offset;
    else if (at.status !== 0) return { ok: false, msg: problemText(at) };
  }
  const x = await xhr("POST", url + "/finish");
  localStorage.removeItem(memo);
  return x.status === 201 ? { ok: true } : { ok: false, msg: problemText(x) };
}

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
  if (form.dataset.chunked && file.size > Number(form.dataset.chunked)) {
    return sendChunked(file, (n) => {
      bar.value = Math.floor((n / file.size) * 100);
      state.textContent = bar.value + " %";
    }, (msg) => { if (msg) state.textContent = msg; }).then((r) => {
      if (r.ok) bar.value = 100;
      state.textContent = r.ok ? form.dataset.done : form.dataset.failed + " " + (r.msg || "");
      li.classList.add(r.ok ? "done" : "failed");
      return r.ok;
    });
  }
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
