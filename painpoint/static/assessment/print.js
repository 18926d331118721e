// "Print this summary": a button needs JavaScript; without it the browser's own Print gives the same page.
document.querySelectorAll("[data-print]").forEach((button) => button.addEventListener("click", () => window.print()));
