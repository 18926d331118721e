// "None of these" and a symptom cannot both be true. Ticking a symptom unticks "None of these".
// The other way round is left to the server, which asks the visitor to untick one: a stray tap on
// "None of these" must never silently drop a symptom that may be a red flag.
document.querySelectorAll("input[data-none-of-these]").forEach((none) => {
  none.form.querySelectorAll(`input[name="${none.name}"]:not([data-none-of-these])`).forEach((symptom) => {
    symptom.addEventListener("change", () => {
      if (symptom.checked) none.checked = false;
    });
  });
});
