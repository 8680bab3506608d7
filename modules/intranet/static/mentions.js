// @mention autocomplete of the intranet's text areas. In a form with data-mentions (the URL of
// GET /api/v1/{slug}/mentions?space_id=…), typing "@" and the start of a name or email asks the
// server for at most 10 colleagues of the space whose name (any word) or email begins with it;
// ArrowDown/ArrowUp move, Enter or Tab (or a click) writes "@Full Name", Escape closes. Without
// JavaScript the box takes "@Full Name" as typed: this only helps to type it. The list is an
// ARIA listbox tied to the textarea (aria-activedescendant), so screen readers follow the
// choice; data-none and data-help on <body>'s form hold the localized texts.

const word = /[\p{L}\p{N}_.-]/u;

function setup(form) {
  const url = form.dataset.mentions;
  const area = form.querySelector("textarea");
  if (!url || !area || area.dataset.mentionsReady) return;
  const list = document.createElement("ul");
  list.className = "mention-list";
  list.id = area.id + "-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", form.dataset.help || "");
  list.hidden = true;
  area.after(list);
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-controls", list.id);
  area.setAttribute("aria-expanded", "false");
  let shown = [], active = -1, start = -1, asked = 0, timer = 0;

  // query is what follows the "@" before the caret, or null when the caret is not in a mention.
  function query() {
    const end = area.selectionStart;
    if (end !== area.selectionEnd) return null;
    let i = end;
    while (i > 0 && word.test(area.value[i - 1])) i--;
    if (i === 0 || area.value[i - 1] !== "@") return null;
    if (i > 1 && word.test(area.value[i - 2])) return null; // an email address, not a mention
    start = i - 1;
    return area.value.slice(i, end);
  }

  function close() {
    list.hidden = true;
    area.setAttribute("aria-expanded", "false");
    area.removeAttribute("aria-activedescendant");
    shown = []; active = -1;
  }

  function mark(i) {
    active = i;
    Array.from(list.children).forEach((li, k) => li.setAttribute("aria-selected", k === i ? "true" : "false"));
    if (i >= 0) area.setAttribute("aria-activedescendant", list.children[i].id);
  }

  function show(people, q) {
    shown = people;
    list.replaceChildren();
    if (shown.length === 0) {
      if (q === "" || !form.dataset.none) { close(); return; }
      const li = document.createElement("li");
      li.className = "none";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.textContent = form.dataset.none;
      list.append(li);
    } else {
      shown.forEach((p, k) => {
        const li = document.createElement("li");
        li.id = list.id + "-" + k;
        li.setAttribute("role", "option");
        li.textContent = p.name;
        const small = document.createElement("small");
        small.textContent = " " + p.email;
        li.append(small);
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(k); });
        list.append(li);
      });
    }
    list.hidden = false;
    area.setAttribute("aria-expanded", "true");
    if (shown.length > 0) mark(0);
  }

  // update asks the server (a little after the last key: one request per pause, and an answer
  // that comes after a newer question is dropped).
  function update() {
    const q = query();
    clearTimeout(timer);
    if (q === null) { close(); return; }
    const n = ++asked;
    timer = setTimeout(async () => {
      const u = new URL(url, location.href);
      u.searchParams.set("q", q);
      try {
        const r = await fetch(u, { headers: { Accept: "application/json" }, credentials: "same-origin" });
        if (!r.ok || n !== asked) return;
        const body = await r.json();
        show(body.items || [], q);
      } catch { close(); }
    }, 120);
  }

  function choose(k) {
    const p = shown[k];
    if (p === undefined || start < 0) return;
    const end = area.selectionStart;
    const text = "@" + p.name + " ";
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    const at = start + text.length;
    area.setSelectionRange(at, at);
    close();
    area.focus();
  }

  area.addEventListener("input", update);
  area.addEventListener("blur", () => setTimeout(close, 150));
  area.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "Escape") { ev.preventDefault(); close(); return; }
    if (shown.length === 0) return;
    if (ev.key === "ArrowDown") { ev.preventDefault(); mark((active + 1) % shown.length); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); mark((active - 1 + shown.length) % shown.length); }
    else if (ev.key === "Enter" || ev.key === "Tab") { ev.preventDefault(); choose(active); }
  });
  area.dataset.mentionsReady = "1";
}

document.querySelectorAll("form[data-mentions]").forEach(setup);
