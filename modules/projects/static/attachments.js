// The task page's attachments: each chosen file goes to the files module's API with a progress
// bar (XHR upload progress) read out by the polite live region; a removal asks first. The page
// reloads once every upload succeeded, to list them.
const form = document.getElementById("attach-form");
const csrf = document.querySelector("input[name=_csrf]")?.value || "";

function attach(file) {
  const line = document.createElement("li");
  const bar = Object.assign(document.createElement("progress"), { max: 100, value: 0 });
  bar.setAttribute("aria-label", file.name);
  const state = document.createElement("span");
  line.append(file.name + " ", bar, " ", state);
  document.getElementById("attach-progress").append(line);
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.dataset.api);
    xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) bar.value = Math.round((100 * e.loaded) / e.total);
      state.textContent = bar.value + " %";
    };
    const failed = () => {
      let why = "";
      try { const p = JSON.parse(xhr.responseText); why = p.errors?.[0]?.message || p.detail || ""; } catch { /* not JSON */ }
      state.textContent = form.dataset.failed + " " + why;
      line.classList.add("failed");
      resolve(false);
    };
    xhr.onload = () => {
      if (xhr.status !== 201) return failed();
      bar.value = 100;
      state.textContent = form.dataset.done;
      resolve(true);
    };
    xhr.onerror = failed;
    const body = new FormData();
    body.append("file", file);
    xhr.send(body);
  });
}

form?.addEventListener("submit", async (e) => {
  e.preventDefault();
  const button = document.getElementById("attach-submit");
  button.setAttribute("aria-busy", "true");
  let ok = true;
  for (const f of form.querySelector("input[type=file]").files) ok = (await attach(f)) && ok;
  button.removeAttribute("aria-busy");
  if (ok) location.reload();
});

for (const b of document.querySelectorAll("#attachments [data-remove]")) {
  b.addEventListener("click", async () => {
    if (!confirm(b.dataset.confirm)) return;
    const r = await fetch(b.dataset.remove, { method: "DELETE", headers: { "X-CSRF-Token": csrf } });
    if (r.ok) b.closest("li").remove();
  });
}
