// The example module's script: marks the page once it ran (tests read the mark).
document.querySelector("[data-example]")?.setAttribute("data-example-ready", "1");
