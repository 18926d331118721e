// Instant steps: the interview's steps (not the body map, not the results) answer and change without a
// full page load. The server still does everything: the form is posted as it would be, the redirect is
// followed, and the next step's HTML replaces this one's. Anything unexpected (an error, a page that is not
// such a step, no network) falls back to the ordinary page load, so the journey never depends on this file.
const CONTAINER = ".check[data-instant]";
let busy = false;

async function load(url, options, push) {
  const response = await fetch(url, { credentials: "same-origin", ...options });
  if (!response.ok) throw new Error(`answered ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const next = page.querySelector(CONTAINER);
  const current = document.querySelector(CONTAINER);
  if (!next || !current) {
    // The body map or the results (or a session that ran out): let the browser load it as a page.
    window.location.assign(response.url);
    return;
  }
  current.replaceWith(next);
  document.title = page.title;
  // Swap first, then change the address: whoever waits for the new address finds the new step there.
  if (push && response.url !== window.location.href) history.pushState({ instant: true }, "", response.url);
  // Move the focus as a page load would: to the error if there is one, else to the step's heading.
  const target = next.querySelector(".errors, .field-error") || next.querySelector("h1");
  window.scrollTo(0, 0);
  if (target) {
    target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
}

async function go(url, options, push, fallback) {
  if (busy) return;
  busy = true;
  document.querySelector(CONTAINER)?.setAttribute("aria-busy", "true");
  try {
    await load(url, options, push);
  } catch {
    fallback();
  } finally {
    busy = false;
    document.querySelector(CONTAINER)?.removeAttribute("aria-busy");
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-instant]") || event.defaultPrevented) return;
  event.preventDefault();
  const body = new URLSearchParams(new FormData(form, event.submitter));
  go(form.action, { method: "POST", body }, true, () => form.submit());
});

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-instant]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  go(link.href, {}, true, () => window.location.assign(link.href));
});

// Back and forward between steps changed here: show the step the address now names.
window.addEventListener("popstate", () => {
  go(window.location.href, {}, false, () => window.location.reload());
});
