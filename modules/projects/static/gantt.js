// Gantt: move a task by dragging its bar, on top of the bars' links to their date forms
// (which work without this script). A bar dragged sideways moves the task's start and due
// days together; its right end moves the due day alone; both snap to days. A focused bar
// moves a day with ← and →. The change is a PATCH of the task through the API (X-CSRF-Token),
// then the chart is drawn again from the server, since the task's successors may have moved
// with it; when the server refuses, the bar goes back and the reason is read out.
//
// The chart says where the days are (core/web/gantt, Chart.Script): the <svg> carries
// data-ppd (pixels per day), each task bar's group data-id, data-start and data-end.

const frame = document.querySelector("[data-gantt][data-write]");
const status = document.querySelector("[data-gantt-status]");
const DAY = 86400000;
const EDGE = 6; // px of a bar's right end that resize instead of move

const say = (msg, kind) => {
  if (!status) return;
  status.textContent = msg;
  status.dataset.kind = kind || "";
};
const toDay = (s) => Math.round(Date.parse(s + "T00:00:00Z") / DAY);
const iso = (d) => new Date(d * DAY).toISOString().slice(0, 10);
const svg = () => frame.querySelector("svg.gantt");
const ppd = () => Number(svg().dataset.ppd) || 1;
let busy = false;

// The patch for a move of delta days: the days the task has, shifted; or its due day alone.
function patch(g, delta, endOnly) {
  const s = g.dataset.start, e = g.dataset.end;
  if (endOnly) return { due_on: iso(toDay(e || s) + delta) };
  const body = {};
  if (s) body.starts_on = iso(toDay(s) + delta);
  if (e) body.due_on = iso(toDay(e) + delta);
  return body;
}

// redraw loads the page again and swaps in its chart, keeping the scroll and the focus.
async function redraw(focusID) {
  const r = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!r.ok) throw new Error(String(r.status));
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  const fresh = doc.querySelector("[data-gantt]");
  if (!fresh) throw new Error("no chart");
  const { scrollLeft, scrollTop } = frame;
  frame.replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
  frame.scrollLeft = scrollLeft; frame.scrollTop = scrollTop;
  if (focusID) {
    const a = frame.querySelector(`g[data-id="${CSS.escape(focusID)}"] a.barlink`);
    if (a) a.focus();
  }
}

// save sends the move; on refusal it calls undo and says why.
async function save(g, delta, endOnly, undo) {
  if (delta === 0) { undo(); return; }
  busy = true;
  say(status.dataset.busy);
  const id = g.dataset.id;
  let problem = "";
  try {
    const r = await fetch(frame.dataset.api + encodeURIComponent(id), {
      method: "PATCH", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": frame.dataset.csrf },
      body: JSON.stringify(patch(g, delta, endOnly)),
    });
    if (r.ok) {
      // Saved: draw the chart again (a full load if that fails: the move is not undone).
      try { await redraw(id); } catch { location.reload(); return; }
      say(status.dataset.moved);
      return;
    }
    const p = await r.json().catch(() => ({}));
    problem = (p.errors || []).map((e) => e.message).join("; ") || p.detail || p.title || "";
  } catch { problem = ""; } finally { busy = false; }
  undo();
  say(status.dataset.error + (problem ? " (" + problem + ")" : ""), "error");
}

if (frame) {
  let drag = null;
  let dragged = false; // swallow the click that ends a drag (the bar is a link)

  frame.addEventListener("pointerdown", (ev) => {
    const g = ev.target.closest("g[data-id]");
    if (!g || busy || ev.button !== 0) return;
    const bar = g.querySelector("rect.bar");
    const box = bar.getBoundingClientRect();
    const scale = svg().getScreenCTM().a || 1; // screen px per SVG unit
    drag = { g, bar, x: ev.clientX, scale, delta: 0, endOnly: ev.clientX >= box.right - EDGE * scale,
      width: Number(bar.getAttribute("width")), pointer: ev.pointerId };
    dragged = false;
    ev.preventDefault(); // no text selection, no native link drag
  });
  frame.addEventListener("pointermove", (ev) => {
    if (!drag) {
      // Show which part of a bar does what.
      const g = ev.target.closest("g[data-id]");
      if (g && !busy) {
        const box = g.querySelector("rect.bar").getBoundingClientRect();
        g.classList.toggle("resize", ev.clientX >= box.right - EDGE * (svg().getScreenCTM().a || 1));
      }
      return;
    }
    const dx = (ev.clientX - drag.x) / drag.scale;
    if (!dragged && Math.abs(ev.clientX - drag.x) < 3) return;
    if (!dragged) {
      dragged = true;
      drag.g.classList.add("dragging");
      try { frame.setPointerCapture(drag.pointer); } catch { /* the pointer is gone */ }
    }
    const p = ppd();
    let delta = Math.round(dx / p);
    if (drag.endOnly) {
      const days = Math.round((drag.width + 1) / p);
      delta = Math.max(delta, 1 - days); // never before its start
      drag.bar.setAttribute("width", String(drag.width + delta * p));
    } else {
      drag.g.setAttribute("transform", `translate(${delta * p} 0)`);
    }
    drag.delta = delta;
  });
  const end = () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    d.g.classList.remove("dragging");
    if (!dragged) return; // a click: the link opens the date form
    const undo = () => { d.g.removeAttribute("transform"); d.bar.setAttribute("width", String(d.width)); };
    save(d.g, d.delta, d.endOnly, undo);
  };
  frame.addEventListener("pointerup", end);
  frame.addEventListener("pointercancel", () => {
    if (!drag) return;
    drag.g.removeAttribute("transform");
    drag.bar.setAttribute("width", String(drag.width));
    drag.g.classList.remove("dragging");
    drag = null;
  });
  frame.addEventListener("click", (ev) => {
    if (dragged && ev.target.closest("g[data-id]")) { ev.preventDefault(); dragged = false; }
  }, true);
  frame.addEventListener("dragstart", (ev) => ev.preventDefault());

  // The keyboard: a focused bar (a link) moves a day with ← and →.
  frame.addEventListener("keydown", (ev) => {
    if (ev.key !== "ArrowLeft" && ev.key !== "ArrowRight") return;
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const a = ev.target.closest("a.barlink");
    const g = a && a.closest("g[data-id]");
    if (!g) return;
    ev.preventDefault();
    if (busy) return;
    // Shift with an arrow moves the due day alone.
    const delta = ev.key === "ArrowRight" ? 1 : -1;
    const bar = g.querySelector("rect.bar");
    const width = Number(bar.getAttribute("width"));
    if (ev.shiftKey) {
      if (width + delta * ppd() < 1) return; // not before its start
      bar.setAttribute("width", String(width + delta * ppd()));
    } else {
      g.setAttribute("transform", `translate(${delta * ppd()} 0)`);
    }
    save(g, delta, ev.shiftKey, () => { g.removeAttribute("transform"); bar.setAttribute("width", String(width)); a.focus(); });
  });
  // Handlers attached: the chart says so (data-gantt-ready), for tests that drag its bars.
  frame.dataset.ganttReady = "1";
}
