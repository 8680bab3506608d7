// Kanban drag and drop, on top of the board's "← / →" forms (which work without it).
// A card dropped on another column, or a button pressed, POSTs the same form through fetch
// with the CSRF token in X-CSRF-Token; the card moves at once and goes back if the server
// refuses, with the reason read out in the board's live region.

const board = document.querySelector("[data-board]");
const status = document.querySelector("[data-board-status]");

function say(msg) { if (status) status.textContent = msg; }

// Columns know their neighbours: after a move, a card's buttons point at the new ones.
function fitButtons(card, column) {
  card.querySelectorAll("button[data-dir]").forEach((b) => {
    const target = column.dataset[b.dataset.dir] || "";
    b.value = target;
    b.hidden = target === "";
  });
}

function recount() {
  board.querySelectorAll("[data-status]").forEach((col) => {
    const n = col.querySelector("[data-count]");
    if (n) n.textContent = String(col.querySelectorAll("[data-task]").length);
  });
}

function place(card, column) {
  column.querySelector("[data-cards]").appendChild(card);
  fitButtons(card, column);
  recount();
}

async function move(card, column) {
  const from = card.closest("[data-status]");
  if (!column || column === from) return;
  const next = card.nextElementSibling;
  place(card, column);
  const body = new URLSearchParams({ status: column.dataset.status, _csrf: board.dataset.csrf });
  let ok = false;
  try {
    // The card's own buttons name the URL (hidden ones too), so the script knows no routes.
    const r = await fetch(card.querySelector("button[data-dir]").formAction, {
      method: "POST", body, credentials: "same-origin",
      headers: { "X-CSRF-Token": board.dataset.csrf, "X-Requested-With": "fetch" },
    });
    ok = r.ok;
  } catch { ok = false; }
  if (ok) { say(status.dataset.moved); return; }
  // Put it back where it was.
  from.querySelector("[data-cards]").insertBefore(card, next && next.parentNode === from.querySelector("[data-cards]") ? next : null);
  fitButtons(card, from);
  recount();
  say(status.dataset.error);
}

if (board) {
  let dragged = null;
  board.addEventListener("dragstart", (ev) => {
    dragged = ev.target.closest("[data-task]");
    if (!dragged) return;
    dragged.classList.add("dragging");
    ev.dataTransfer.effectAllowed = "move";
    ev.dataTransfer.setData("text/plain", dragged.dataset.task);
  });
  board.addEventListener("dragend", () => {
    if (dragged) dragged.classList.remove("dragging");
    board.querySelectorAll(".drop-target").forEach((c) => c.classList.remove("drop-target"));
    dragged = null;
  });
  board.addEventListener("dragover", (ev) => {
    const col = ev.target.closest("[data-status]");
    if (!dragged || !col) return;
    ev.preventDefault();
    board.querySelectorAll(".drop-target").forEach((c) => { if (c !== col) c.classList.remove("drop-target"); });
    col.classList.add("drop-target");
  });
  board.addEventListener("drop", (ev) => {
    const col = ev.target.closest("[data-status]");
    if (!dragged || !col) return;
    ev.preventDefault();
    move(dragged, col);
  });
  // The buttons (outside the one form they submit): the same move without a page load;
  // focus stays on the card's button.
  const moves = document.getElementById("board-moves");
  moves.addEventListener("submit", (ev) => {
    const b = ev.submitter;
    if (!b || !b.dataset.dir) return;
    ev.preventDefault();
    ev.stopPropagation(); // app.js would mark the button busy for a page load that never comes
    const card = b.closest("[data-task]");
    const col = board.querySelector(`[data-status="${CSS.escape(b.value)}"]`);
    move(card, col).then(() => {
      const again = card.querySelector(`button[data-dir="${b.dataset.dir}"]:not([hidden])`) || card.querySelector("button[data-dir]:not([hidden])");
      if (again) again.focus();
    });
  });
  // Handlers attached: the board says so (data-kanban-ready), for tests that press its buttons.
  board.dataset.kanbanReady = "1";
}
