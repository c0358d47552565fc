/* Case editor: add and remove rows of the repeatable groups (partners, sources, ...). No framework.
   Each group holds a <template> row whose names and ids carry the placeholder ROWINDEX / rowindex;
   a new row takes the next free index, so names never collide with rows already on the page. */
"use strict";

(function () {
  function nextIndex(rows) {
    let max = -1;
    rows.querySelectorAll("[name]").forEach((el) => {
      const m = el.name.match(/^[a-z_]+\.(\d+)/);
      if (m) max = Math.max(max, Number(m[1]));
    });
    return max + 1;
  }

  function addRow(group) {
    const rows = group.querySelector("[data-rows]");
    const template = group.querySelector("template[data-row-template]");
    const index = String(nextIndex(rows));
    const html = template.innerHTML.replace(/ROWINDEX/g, index).replace(/rowindex/g, index);
    rows.insertAdjacentHTML("beforeend", html);
    const row = rows.lastElementChild;
    const first = row.querySelector("input, select, textarea");
    if (first) first.focus();
  }

  function removeRow(button) {
    const row = button.closest("[data-row]");
    const group = button.closest("[data-group]");
    row.remove();
    group.querySelector("[data-add-row]").focus();
  }

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    if (add) { addRow(add.closest("[data-group]")); return; }
    const remove = event.target.closest("[data-remove-row]");
    if (remove) removeRow(remove);
  });

  /* Leaving with unsaved edits asks first; saving does not. */
  const form = document.getElementById("case-form");
  if (form) {
    let dirty = false;
    form.addEventListener("input", () => { dirty = true; });
    form.addEventListener("submit", () => { dirty = false; });
    window.addEventListener("beforeunload", (event) => {
      if (dirty) { event.preventDefault(); event.returnValue = ""; }
    });
  }
})();
