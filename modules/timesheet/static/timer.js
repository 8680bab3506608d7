// The running timer (modules/timesheet): ticks the elapsed time shown beside "Stop" every
// twenty seconds, from the minutes the server counted when it drew the page (so a wrong clock
// on this computer changes nothing). Without this script the page shows the start time and the
// minutes elapsed when it was drawn.
for (const el of document.querySelectorAll("[data-timer-minutes]")) {
  const drawn = Number(el.dataset.timerMinutes);
  if (Number.isNaN(drawn)) continue;
  const loaded = Date.now();
  const tick = () => {
    const m = Math.max(1, drawn + Math.floor((Date.now() - loaded) / 60000));
    el.textContent = Math.floor(m / 60) + ":" + String(m % 60).padStart(2, "0");
  };
  setInterval(tick, 20000);
}
