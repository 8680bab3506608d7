// The running timer (modules/timesheet): ticks the elapsed time shown beside "Stop" every
// twenty seconds. Without this script the page shows the start time and the minutes elapsed
// when it was drawn.
for (const el of document.querySelectorAll("[data-timer-start]")) {
  const start = Date.parse(el.dataset.timerStart);
  if (Number.isNaN(start)) continue;
  const tick = () => {
    const m = Math.max(1, Math.round((Date.now() - start) / 60000));
    el.textContent = Math.floor(m / 60) + ":" + String(m % 60).padStart(2, "0");
  };
  tick();
  setInterval(tick, 20000);
}
