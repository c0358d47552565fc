/* Find comparable: live weight read-outs, reset, the URL kept in step with the form, and 400 fragments shown. */
"use strict";

(function () {
  const form = document.getElementById("match-form");
  if (!form) return;
  const sliders = form.querySelectorAll("#weights input[type=range]");

  function showValue(slider) {
    const out = document.getElementById(slider.id + "-value");
    if (out) out.textContent = String(Number(slider.value));
  }

  /* The page's URL says what is shown, so a re-ranked result list can be shared or reloaded. */
  function syncUrl() {
    const params = new URLSearchParams(new FormData(form));
    history.replaceState(null, "", form.getAttribute("action") + "?" + params.toString());
  }

  sliders.forEach((slider) => slider.addEventListener("input", () => showValue(slider)));

  form.querySelector("[data-reset-weights]")?.addEventListener("click", () => {
    sliders.forEach((slider) => { slider.value = slider.dataset.default; showValue(slider); });
    sliders[0]?.dispatchEvent(new Event("input", { bubbles: true }));
  });

  /* A 400 fragment carries the messages next to the weights: swap it in like a success. */
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.body.addEventListener("htmx:afterRequest", (event) => {
    if (event.detail.elt && event.detail.elt.id === "weights" && event.detail.successful) syncUrl();
  });
}());
