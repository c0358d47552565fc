/* Casebook: behaviour shared by every page. No framework; htmx is vendored next to this file. */
"use strict";

/** The CSRF token Litestar keeps in the casebook_csrf cookie, for requests not sent by a plain form. */
function casebookCsrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)casebook_csrf=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

document.addEventListener("htmx:configRequest", (event) => {
  event.detail.headers["x-csrftoken"] = casebookCsrfToken();
});

/* Buttons that copy a value (API tokens, invitation links) to the clipboard. */
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const source = document.getElementById(button.dataset.copy);
  if (!source) return;
  source.select?.();
  const done = () => { button.textContent = "Copied"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(source.value || source.textContent).then(done, () => {});
  } else {
    try { document.execCommand("copy"); done(); } catch (err) { /* the value stays selected for a manual copy */ }
  }
});

/* Forms marked data-progress (imports, long operations) say they are working and cannot be sent twice. */
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.matches("[data-progress]")) return;
  const button = form.querySelector("button[type=submit]");
  if (button) { button.disabled = true; button.setAttribute("aria-busy", "true"); }
  const status = form.querySelector(".progress");
  if (status) status.textContent = "Working… this can take a few seconds.";
});
