// Mentions in a comment box: after an "@", the names of the people the comment may mention
// are suggested (those whose first name, or any word of their name, begins with what follows
// the "@"); arrows move, Enter or Tab (or a click) writes "@Full Name", Escape closes. Without
// JavaScript the box takes "@Alice" as written (the server reads first names and the start of
// a name): this only helps to type it.
//
// The box: <div class="mention-box" data-mentions='["Ada Lovelace", ...]' data-none="Nobody
// by that name" data-help="People to mention"> around the textarea.

const word = /[\p{L}\p{N}_-]/u;

function setup(box) {
  const area = box.querySelector("textarea");
  if (!area) return;
  let names = [];
  try { names = JSON.parse(box.dataset.mentions || "[]"); } catch { return; }
  if (names.length === 0) return;
  const list = document.createElement("ul");
  list.className = "mention-list";
  list.id = area.id + "-mentions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", box.dataset.help || "");
  list.hidden = true;
  area.after(list);
  area.setAttribute("aria-autocomplete", "list");
  area.setAttribute("aria-controls", list.id);
  area.setAttribute("aria-expanded", "false");
  let shown = [], active = -1, start = -1;

  // query is what follows the "@" before the caret, or null when the caret is not in a mention.
  function query() {
    const end = area.selectionStart;
    if (end !== area.selectionEnd) return null;
    let i = end;
    while (i > 0 && word.test(area.value[i - 1])) i--;
    if (i === 0 || area.value[i - 1] !== "@") return null;
    if (i > 1 && word.test(area.value[i - 2])) return null; // an email address, not a mention
    start = i - 1;
    return area.value.slice(i, end).toLocaleLowerCase();
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

  function update() {
    const q = query();
    if (q === null) { close(); return; }
    shown = names.filter((n) => n.toLocaleLowerCase().split(/\s+/).some((w) => w.startsWith(q))).slice(0, 8);
    list.replaceChildren();
    if (shown.length === 0) {
      if (q === "" || !box.dataset.none) { close(); return; }
      // Nobody by that name: said, and nothing is taken from the keyboard.
      const li = document.createElement("li");
      li.className = "none";
      li.setAttribute("role", "option");
      li.setAttribute("aria-disabled", "true");
      li.textContent = box.dataset.none;
      list.append(li);
      list.hidden = false;
      area.setAttribute("aria-expanded", "true");
      area.removeAttribute("aria-activedescendant");
      return;
    }
    shown.forEach((n, k) => {
      const li = document.createElement("li");
      li.id = list.id + "-" + k;
      li.setAttribute("role", "option");
      li.textContent = n;
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); choose(k); });
      list.append(li);
    });
    list.hidden = false;
    area.setAttribute("aria-expanded", "true");
    mark(0);
  }

  function choose(k) {
    const name = shown[k];
    if (name === undefined || start < 0) return;
    const end = area.selectionStart;
    const text = "@" + name + " ";
    area.value = area.value.slice(0, start) + text + area.value.slice(end);
    const at = start + text.length;
    area.setSelectionRange(at, at);
    close();
    area.focus();
  }

  area.addEventListener("input", update);
  area.addEventListener("click", update);
  area.addEventListener("blur", () => setTimeout(close, 100));
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

document.querySelectorAll(".mention-box[data-mentions]").forEach(setup);
