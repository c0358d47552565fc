"use strict";
/* Facets stay open on wide screens and start folded on phones; a swap keeps what the reader chose. */
(() => {
  const wide = window.matchMedia("(min-width: 821px)");
  let open = wide.matches;
  const apply = () => { const d = document.querySelector(".facet-panel"); if (d) d.open = open; };
  apply();
  document.addEventListener("toggle", (e) => { if (e.target.matches?.(".facet-panel")) open = e.target.open; }, true);
  document.addEventListener("htmx:afterSwap", apply);
  wide.addEventListener("change", () => { open = wide.matches; apply(); });
})();

/* A changed filter (not the search box, which searches as you type) reloads the results; this replaces an
   htmx trigger filter, which would need eval and so breaks under the Content-Security-Policy. */
document.addEventListener("change", (e) => {
  const form = e.target.closest?.("#search-form");
  if (form && e.target.name !== "q") htmx.trigger(form, "filters-changed");
});
