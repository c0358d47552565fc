/* "Add to compare": a basket of up to three cases kept in localStorage, gathered from search results and case
   pages, that leads to /compare?cases=a,b[,c]. Without script each button is a link to a comparison that starts
   from its case (the compare page's picker adds the others). */
"use strict";

(() => {
  const KEY = "casebook.compare";
  const MAX = 3;

  function load() {
    try {
      const items = JSON.parse(localStorage.getItem(KEY) || "[]");
      return Array.isArray(items) ? items.filter((i) => i && typeof i.ref === "string").slice(0, MAX) : [];
    } catch (err) {
      return [];
    }
  }

  function save(items) {
    try { localStorage.setItem(KEY, JSON.stringify(items)); } catch (err) { /* private mode: the page still works */ }
  }

  const bar = document.createElement("aside");
  bar.className = "compare-basket";
  bar.setAttribute("aria-label", "Cases to compare");
  bar.hidden = true;
  const said = document.createElement("p");
  said.className = "compare-basket-text";
  said.setAttribute("role", "status");
  const go = document.createElement("a");
  go.className = "btn btn-primary";
  const clear = document.createElement("button");
  clear.type = "button";
  clear.className = "btn btn-quiet";
  clear.textContent = "Clear";
  bar.append(said, go, clear);

  function url(items) {
    return `/compare?cases=${items.map((i) => encodeURIComponent(i.ref).replace("%2F", "/")).join(",")}`;
  }

  function refresh(message) {
    const items = load();
    const onCompare = window.location.pathname === "/compare";
    document.querySelectorAll("[data-compare-add]").forEach((button) => {
      const inside = items.some((i) => i.ref === button.dataset.compareAdd);
      button.firstChild.textContent = inside ? "✓ In compare" : "Add to compare";
      button.classList.toggle("in-basket", inside);
    });
    bar.hidden = onCompare || !items.length;
    const names = items.map((i) => i.title || i.ref).join("; ");
    said.textContent = message || `${items.length} of ${MAX} chosen to compare: ${names}`;
    go.href = url(items);
    go.textContent = items.length < 2 ? "Compare (choose one more)" : `Compare ${items.length} cases`;
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-compare-add]");
    if (!button) return;
    event.preventDefault();
    const ref = button.dataset.compareAdd;
    let items = load();
    let message = "";
    if (items.some((i) => i.ref === ref)) {
      items = items.filter((i) => i.ref !== ref);
    } else if (items.length >= MAX) {
      message = `A comparison holds ${MAX} cases: remove one first.`;
    } else {
      items.push({ ref, title: button.dataset.compareTitle || ref });
    }
    save(items);
    refresh(message);
  });

  clear.addEventListener("click", () => { save([]); refresh(); });

  /* On the compare page the URL is the basket: removing a case there removes it here too. */
  if (window.location.pathname === "/compare") {
    const refs = (new URLSearchParams(window.location.search).get("cases") || "").split(",").filter(Boolean);
    const known = new Map(load().map((i) => [i.ref, i.title]));
    document.querySelectorAll(".chips a[href^='/cases/']").forEach((a) => known.set(a.getAttribute("href").slice(7), a.textContent));
    save(refs.slice(0, MAX).map((ref) => ({ ref, title: known.get(ref) || ref })));
  }

  document.body.append(bar);
  refresh();
  document.addEventListener("htmx:afterSwap", () => refresh());
  window.addEventListener("storage", (event) => { if (event.key === KEY) refresh(); });
})();
