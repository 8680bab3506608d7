// The weekly grid (modules/timesheet): the arrow keys move between the cells of the grid, Enter
// saves the week (the form's default button). Without this script the grid is a plain form.
const grid = document.querySelector("table.timegrid");
if (grid) {
  const cells = () => [...grid.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("input.cell")]);
  grid.addEventListener("keydown", (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("cell")) return;
    const rows = cells();
    const r = rows.findIndex((row) => row.includes(input));
    const c = rows[r].indexOf(input);
    let to = null;
    const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
    const atEnd = input.selectionStart === input.value.length;
    switch (ev.key) {
      case "ArrowUp": to = rows[r - 1]?.[c]; break;
      case "ArrowDown": to = rows[r + 1]?.[c]; break;
      case "ArrowLeft": if (atStart) to = rows[r][c - 1]; break;
      case "ArrowRight": if (atEnd) to = rows[r][c + 1]; break;
      default: return;
    }
    if (to) {
      ev.preventDefault();
      to.focus();
      to.select();
    }
  });
}
