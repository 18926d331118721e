// The strip of days scrolls sideways. After a page load it starts at the first day, so a day chosen further
// along (or kept after a mistake in the form) would be out of sight: bring it to the middle of the strip.
document.querySelectorAll(".day-picker [aria-current=true]").forEach((day) => {
  const strip = day.closest("ul");
  const offset = day.getBoundingClientRect().left - strip.getBoundingClientRect().left;
  strip.scrollLeft += offset - (strip.clientWidth - day.offsetWidth) / 2;
});
