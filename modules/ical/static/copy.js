// The feed URL's copy button: <button data-copy="#input-id" data-copied="Copied">. Without
// script (or clipboard permission) the URL stays selectable in its read-only field.
document.addEventListener("click", async (ev) => {
  const btn = ev.target.closest("button[data-copy]");
  if (!btn) return;
  const input = document.querySelector(btn.getAttribute("data-copy"));
  if (!input) return;
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    document.execCommand("copy"); // older browsers, and pages not served over HTTPS
  }
  const status = document.getElementById(btn.getAttribute("aria-controls") || "");
  if (status) status.textContent = btn.getAttribute("data-copied");
});
