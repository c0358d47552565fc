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
