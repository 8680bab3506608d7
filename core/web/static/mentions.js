// @mention autocomplete, for every module's text areas. An element with data-mentions around a
// textarea (a form, or a div.mention-box) gets it; data-mentions is either
//   - the people to suggest, as JSON (["Ada Lovelace", ...]): filtered here, those whose name
//     has a word beginning with what follows the "@" (a task's comment box: its readers), or
//   - a URL answering {items: [{name, email}]} for ?q=… (the intranet's
//     GET /api/v1/{slug}/mentions?space_id=…): asked a little after the last key, and an answer
//     that comes after a newer question is dropped.
// ArrowDown/ArrowUp move, Enter or Tab (or a click) writes "@Full Name", Escape closes. Without
// JavaScript the box takes "@Full Name" as typed: this only helps to type it. The list is an
// ARIA listbox tied to the textarea (aria-activedescendant), so screen readers follow the
// choice; data-none ("nobody by that name") and data-help (the list's label) hold the
// localized texts.

const word = /[\p{L}\p{N}_.-]/u;
const most = 10;

// source returns (q) => Promise of [{name, email?}], or null when the element has no people.
function source(el) {
  const spec = (el.dataset.mentions || "").trim();
  if (spec === "") return null;
  if (spec.startsWith("[")) {
    let names;
    try { names = JSON.parse(spec); } catch { return null; }
    if (!Array.isArray(names) || names.length === 0) return null;
    return async (q) => {
      const low = q.toLocaleLowerCase();
      return names.filter((n) => n.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(low)))
        .slice(0, most).map((name) => ({ name }));
    };
  }
  return async (q) => {
    const u = new URL(spec, location.href);
    u.searchParams.set("q", q);
    const r = await fetch(u, { headers: { Accept: "application/json" }, credentials: "same-origin" });
    if (!r.ok) throw new Error(String(r.status));
    const body = await r.json();
    return body.items || [];
  };
}

function setup(el) {
  const area = el.querySelector("textarea");
  const find = source(el);
  if (!find || !area || area.dataset.mentionsReady) return;
  const remote = !(el.dataset.mentions || "").trim().startsWith("[");
  const list = document.createElement("ul");
  list.className = "mention-list";
  list.id = (area.id || "mentions-" + Math.random().toString(36).slice(2)) + "-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", el.dataset.help || "");
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
      if (q === "" || !el.dataset.none) { close(); return; }
      // Nobody by that name: said, and nothing is taken from the keyboard.
      const li = document.createElement("li");
      li.className = "none";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.textContent = el.dataset.none;
      list.append(li);
    } else {
      shown.forEach((p, k) => {
        const li = document.createElement("li");
        li.id = list.id + "-" + k;
        li.setAttribute("role", "option");
        li.textContent = p.name;
        if (p.email) {
          const small = document.createElement("small");
          small.textContent = " " + p.email;
          li.append(small);
        }
        li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(k); });
        list.append(li);
      });
    }
    list.hidden = false;
    area.setAttribute("aria-expanded", "true");
    if (shown.length > 0) mark(0);
    else area.removeAttribute("aria-activedescendant");
  }

  function update() {
    const q = query();
    clearTimeout(timer);
    if (q === null) { close(); return; }
    const n = ++asked;
    timer = setTimeout(async () => {
      try {
        const people = await find(q);
        if (n === asked) show(people, q);
      } catch { close(); }
    }, remote ? 120 : 0);
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
  area.addEventListener("click", update);
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

document.querySelectorAll("[data-mentions]").forEach(setup);
