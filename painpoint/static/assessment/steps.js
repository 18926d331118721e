// Instant steps: the interview's steps (not the body map, not the results) answer and change without a
// full page load. The server still does everything: the form is posted as it would be, the redirect is
// followed, and the next step's HTML replaces this one's. Anything unexpected (an error, a page that is not
// such a step, no network) falls back to the ordinary page load, so the journey never depends on this file.
const CONTAINER = ".check[data-instant]";
let loading = null; // the AbortController of the step being loaded, if any

async function load(url, options, push) {
  const response = await fetch(url, { credentials: "same-origin", ...options });
  if (!response.ok) throw new Error(`answered ${response.status}`);
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  options.signal.throwIfAborted(); // a Back press came first: its step wins
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
  const mine = new AbortController();
  loading = mine;
  document.querySelector(CONTAINER)?.setAttribute("aria-busy", "true");
  try {
    await load(url, { ...options, signal: mine.signal }, push);
  } catch {
    if (!mine.signal.aborted) fallback();
  } finally {
    if (loading === mine) {
      loading = null;
      document.querySelector(CONTAINER)?.removeAttribute("aria-busy");
    }
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("form[data-instant]") || event.defaultPrevented) return;
  event.preventDefault();
  if (loading) return; // a second tap on Continue: the first answer is on its way
  const body = new URLSearchParams(new FormData(form, event.submitter));
  go(form.action, { method: "POST", body }, true, () => form.submit());
});

document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a[data-instant]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  if (loading) return;
  go(link.href, {}, true, () => window.location.assign(link.href));
});

// Back and forward between steps changed here: show the step the address now names. As with a page load,
// a Back press while a step is still loading cancels that load (the server may have kept the answer sent).
window.addEventListener("popstate", () => {
  loading?.abort();
  go(window.location.href, {}, false, () => window.location.reload());
});
