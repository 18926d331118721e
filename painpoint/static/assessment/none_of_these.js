// "None of these" and a symptom cannot both be true. Ticking a symptom unticks "None of these".
// The other way round is left to the server, which asks the visitor to untick one: a stray tap on
// "None of these" must never silently drop a symptom that may be a red flag.
// One listener on the document, so it also serves a step that instant steps (steps.js) put in the page.
document.addEventListener("change", (event) => {
  const symptom = event.target;
  if (!symptom.matches?.("input[type=checkbox]:not([data-none-of-these])") || !symptom.checked) return;
  const none = symptom.form?.querySelector(`input[data-none-of-these][name="${symptom.name}"]`);
  if (none) none.checked = false;
});
