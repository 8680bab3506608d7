// Timeline: move an allocation by dragging its bar (along its row to other days, up or down to
// another resource's row to reassign it), resize it by dragging its right end; both snap to
// days and rows. The bars are links to the allocation's form (the keyboard alternative, which
// works without this script: its dates and its "Move to" resource). A drop is a PATCH of the allocation through the API with the
// CSRF token in X-CSRF-Token (the pattern of the projects' Gantt script); then the timeline
// is drawn again from the server (the bar's repetitions and the person's other bars may have
// changed). When the server refuses (a resource archived meanwhile...), the bar goes back and
// the reason is read out; a move that books a resource over its capacity is saved and said.

const frame = document.querySelector("[data-timeline][data-write]");
const status = document.querySelector("[data-timeline-status]");
const DAY = 86400000;
const EDGE = 8; // px of a bar's right end that resize instead of move

const say = (msg, kind) => {
  if (!status) return;
  status.textContent = msg;
  status.dataset.kind = kind || "";
};
const toDay = (s) => Math.round(Date.parse(s + "T00:00:00Z") / DAY);
const iso = (d) => new Date(d * DAY).toISOString().slice(0, 10);

// redraw loads the page again and swaps in its timeline, keeping the scroll and the focus.
async function redraw(focusID) {
  const r = await fetch(location.href, { credentials: "same-origin", headers: { Accept: "text/html" } });
  if (!r.ok) throw new Error(String(r.status));
  const doc = new DOMParser().parseFromString(await r.text(), "text/html");
  const fresh = doc.querySelector("[data-timeline]");
  if (!fresh) throw new Error("no timeline");
  const { scrollLeft } = frame;
  frame.replaceChildren(...Array.from(fresh.childNodes, (n) => document.importNode(n, true)));
  frame.scrollLeft = scrollLeft;
  const a = frame.querySelector(`a.tl-bar[data-id="${CSS.escape(focusID)}"]`);
  if (a) a.focus();
}

async function save(bar, body, undo) {
  say(status.dataset.busy);
  let problem = "";
  try {
    const r = await fetch(frame.dataset.api + encodeURIComponent(bar.dataset.id), {
      method: "PATCH", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": frame.dataset.csrf },
      body: JSON.stringify(body),
    });
    if (r.ok) {
      const al = await r.json().catch(() => ({}));
      try { await redraw(bar.dataset.id); } catch { location.reload(); return; }
      say(al.over_allocated ? status.dataset.movedOver : status.dataset.moved, al.over_allocated ? "warn" : "");
      return;
    }
    const p = await r.json().catch(() => ({}));
    problem = (p.errors || []).map((e) => e.message).join("; ") || p.detail || p.title || "";
  } catch { problem = ""; }
  undo();
  say(status.dataset.error + (problem ? " (" + problem + ")" : ""), "error");
}

if (frame) {
  const days = Number(frame.dataset.days) || 56;
  let drag = null;
  let dragged = false;

  frame.addEventListener("pointerdown", (ev) => {
    const bar = ev.target.closest("a.tl-bar");
    if (!bar || ev.button !== 0) return;
    const track = bar.parentElement.getBoundingClientRect();
    const box = bar.getBoundingClientRect();
    // The bar sits on a grid of days (CSS classes); a drag shifts or stretches it through the
    // CSSOM, which the CSP allows, until the server has the new dates.
    const row = bar.closest(".tl-row");
    drag = { bar, x: ev.clientX, y: ev.clientY, ppd: track.width / days, endOnly: ev.clientX >= box.right - EDGE,
      width: box.width, delta: 0, pointer: ev.pointerId, row, target: row };
    dragged = false;
    ev.preventDefault();
  });
  frame.addEventListener("pointermove", (ev) => {
    if (!drag) {
      const bar = ev.target.closest("a.tl-bar");
      if (bar) bar.classList.toggle("resize", ev.clientX >= bar.getBoundingClientRect().right - EDGE);
      return;
    }
    if (!dragged && Math.abs(ev.clientX - drag.x) < 3 && Math.abs(ev.clientY - drag.y) < 3) return;
    if (!dragged) {
      dragged = true;
      drag.bar.classList.add("dragging");
      try { frame.setPointerCapture(drag.pointer); } catch { /* gone */ }
    }
    let delta = Math.round((ev.clientX - drag.x) / drag.ppd);
    if (drag.endOnly) {
      const len = toDay(drag.bar.dataset.end) - toDay(drag.bar.dataset.start) + 1;
      delta = Math.max(delta, 1 - len);
      drag.bar.style.width = (drag.width + delta * drag.ppd) + "px";
    } else {
      // The row under the pointer (the bar itself is on top of it) takes the bar.
      const under = document.elementsFromPoint(ev.clientX, ev.clientY).find((el) => el.matches(".tl-row[data-resource]"));
      if (under && under !== drag.target) {
        drag.target.classList.remove("drop-target");
        drag.target = under;
        if (under !== drag.row) under.classList.add("drop-target");
      }
      const dy = drag.target.getBoundingClientRect().top - drag.row.getBoundingClientRect().top;
      drag.bar.style.transform = `translate(${delta * drag.ppd}px, ${dy}px)`;
    }
    drag.delta = delta;
  });
  const end = () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    d.bar.classList.remove("dragging");
    d.target.classList.remove("drop-target");
    const undo = () => { d.bar.style.transform = ""; d.bar.style.width = ""; };
    const moved = !d.endOnly && d.target !== d.row;
    if (!dragged || (d.delta === 0 && !moved)) { undo(); return; }
    const s = d.bar.dataset.start, e = d.bar.dataset.end;
    const body = d.endOnly ? { ends_on: iso(toDay(e) + d.delta) } : {};
    if (!d.endOnly && d.delta !== 0) Object.assign(body, { starts_on: iso(toDay(s) + d.delta), ends_on: iso(toDay(e) + d.delta) });
    if (moved) body.resource_id = Number(d.target.dataset.resource);
    save(d.bar, body, undo);
  };
  frame.addEventListener("pointerup", end);
  frame.addEventListener("pointercancel", end);
  // A drag ends in a click on the link: swallow it.
  frame.addEventListener("click", (ev) => {
    if (dragged && ev.target.closest("a.tl-bar")) { ev.preventDefault(); dragged = false; }
  }, true);
}
