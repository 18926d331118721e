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

  // Phones show one large figure at a time (bodymap.css applies data-view only on narrow screens).
  const views = map.querySelector("[data-bodymap-views]");
  if (views) {
    const buttons = views.querySelectorAll("[data-bodymap-view]");
    const show = (view) => {
      map.dataset.view = view;
      buttons.forEach((button) => button.setAttribute("aria-pressed", String(button.dataset.bodymapView === view)));
    };
    buttons.forEach((button) => button.addEventListener("click", () => show(button.dataset.bodymapView)));
    // Coming back to this step, open on the figure that holds the first region chosen.
    const first = document.querySelector("[data-region-checkbox]:checked");
    const front = map.querySelector(".bodymap-front");
    show(first && !front.querySelector(`[data-bodymap-region="${first.dataset.regionCheckbox}"]`) ? "back" : "front");
    views.hidden = false;
  }
}
