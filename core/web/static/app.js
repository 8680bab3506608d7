// GroupCamp's little script: progressive enhancement only — every page works without it.

// Confirmations: <form data-confirm="message"> asks before submitting.
document.addEventListener("submit", (ev) => {
  const form = ev.target;
  const msg = form.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) { ev.preventDefault(); return; }
  // Progress: mark the submit button busy so a slow request shows it is under way.
  const btn = form.querySelector("button[type=submit]");
  if (btn) { btn.setAttribute("aria-busy", "true"); }
});

// Sortable tables: <table data-sortable>; header cells get buttons; data-sort on a cell
// overrides its text as the sort key.
function sortable(table) {
  const heads = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  heads.forEach((th, col) => {
    if (th.hasAttribute("data-nosort")) return;
    const b = document.createElement("button");
    b.type = "button"; b.className = "sort"; b.textContent = th.textContent.trim();
    th.textContent = ""; th.appendChild(b);
    b.addEventListener("click", () => {
      const asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (r) => { const c = r.cells[col]; return c ? (c.dataset.sort ?? c.textContent.trim().toLowerCase()) : ""; };
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const nx = Number(x), ny = Number(y);
        const cmp = (!isNaN(nx) && !isNaN(ny) && x !== "" && y !== "") ? nx - ny : x.localeCompare(y);
        return asc ? cmp : -cmp;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
}

// Live filter: <input data-filter="tableId"> hides rows that do not contain the text.
function filter(input) {
  const table = document.getElementById(input.dataset.filter);
  if (!table) return;
  input.addEventListener("input", () => {
    const q = input.value.trim().toLowerCase();
    Array.from(table.tBodies[0].rows).forEach((r) => { r.hidden = q !== "" && !r.textContent.toLowerCase().includes(q); });
  });
}

// Close open menus with Escape or a click elsewhere.
document.addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") document.querySelectorAll("details.menu[open]").forEach((d) => d.removeAttribute("open"));
});
document.addEventListener("click", (ev) => {
  document.querySelectorAll("details.menu[open]").forEach((d) => { if (!d.contains(ev.target)) d.removeAttribute("open"); });
});

document.querySelectorAll("table[data-sortable]").forEach(sortable);
document.querySelectorAll("input[data-filter]").forEach(filter);

// A module's scripts are its own (modules/*/static, served as /static/HASH/<module>/...): its
// pages load them with a <script type="module"> where they are needed.
