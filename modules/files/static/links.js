// The file page's share links: "Copy" puts a link's URL on the clipboard (and says so); without
// a clipboard (an http origin other than localhost), it selects the URL for the reader to copy.
for (const button of document.querySelectorAll("button.copy-link")) {
  button.addEventListener("click", async () => {
    const url = button.dataset.url;
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(url);
      button.textContent = "✓";
      setTimeout(() => { button.textContent = label; }, 1500);
    } catch {
      const input = button.closest("tr").querySelector("input.link-url");
      input.focus();
      input.select();
    }
  });
}
