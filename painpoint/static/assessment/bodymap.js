// Body map: clicking a region on the figure ticks the matching checkbox in the list beside it, and back.
// Without JavaScript the list alone works; with it, the figure becomes a faster way to fill the same list.
const map = document.querySelector("[data-bodymap]");
const chosen = document.querySelector("[data-bodymap-chosen]");

function boxFor(code) {
  return document.querySelector(`[data-region-checkbox="${code}"]`);
}

function refresh() {
  const labels = [];
  document.querySelectorAll("[data-region-checkbox]").forEach((box) => {
    const code = box.dataset.regionCheckbox;
    document.querySelectorAll(`[data-bodymap-region="${code}"]`).forEach((shape) => {
      shape.classList.toggle("is-selected", box.checked);
      if (!shape.hasAttribute("aria-hidden")) shape.setAttribute("aria-pressed", String(box.checked));
    });
    if (box.checked) labels.push(box.parentElement.textContent.trim());
  });
  if (chosen) chosen.textContent = labels.length ? `Chosen: ${labels.join(", ")}` : "Nothing chosen yet.";
}

if (map) {
  map.querySelectorAll("[data-bodymap-region]").forEach((shape) => {
    if (!shape.hasAttribute("aria-hidden")) shape.setAttribute("role", "button");
    const toggle = (event) => {
      event.preventDefault();
      const box = boxFor(shape.dataset.bodymapRegion);
      if (!box) return;
      box.checked = !box.checked;
      refresh();
    };
    shape.addEventListener("click", toggle);
    shape.addEventListener("keydown", (event) => {
      if (event.key === " " || event.key === "Enter") toggle(event);
    });
  });
  document.querySelectorAll("[data-region-checkbox]").forEach((box) => box.addEventListener("change", refresh));
  refresh();
}
