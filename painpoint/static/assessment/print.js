// "Print this summary": the button is rendered hidden, since it needs JavaScript; without it the browser's own
// Print gives the same page. Show it only once it can work.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
});
