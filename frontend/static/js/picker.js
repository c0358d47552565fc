/* Case pickers: a plain text field that the server resolves (title, a few of its words, slug or tenant/slug)
   becomes a search-as-you-type combobox over /cases/suggest (the WAI-ARIA 1.2 combobox pattern with a listbox
   popup: Down and Up move, Enter chooses, Escape closes). Suggestions come from the search index, best
   evidence first, over every case the reader may read: no list is capped. */
"use strict";

(() => {
  const EVIDENCE = { "independently-evaluated": "Independently evaluated", documented: "Documented",
                     "self-reported": "Self-reported" };
  const MIN_CHARS = 2;
  const DELAY_MS = 150;
  /* The plan wizard's template field (its template belongs to the planner) is a picker too. */
  const SELECTOR = "input[data-case-picker], input#f-template[name=template]";

  function badge(className, hidden, text) {
    const span = document.createElement("span");
    span.className = `badge ${className}`;
    const label = document.createElement("span");
    label.className = "sr-only";
    label.textContent = hidden;
    span.append(label, text);
    return span;
  }

  function optionNode(option, id) {
    const li = document.createElement("li");
    li.id = id;
    li.setAttribute("role", "option");
    li.setAttribute("aria-selected", "false");
    li.className = "picker-option";
    const title = document.createElement("span");
    title.className = "picker-title";
    title.textContent = option.title;
    const meta = document.createElement("span");
    meta.className = "picker-meta";
    meta.textContent = `${option.country || "multi-country"} · ${option.ref}`;
    const badges = document.createElement("span");
    badges.className = "badges";
    if (option.evidence_level) {
      badges.append(badge(`ev-${option.evidence_level}`, "Evidence: ", EVIDENCE[option.evidence_level] || option.evidence_level));
    }
    if (option.status) {
      badges.append(" ", badge(`tag status-${option.status}`, "Status: ", option.status[0].toUpperCase() + option.status.slice(1)));
    }
    li.append(title, meta, badges);
    return li;
  }

  let serial = 0;

  function enhance(input) {
    if (input.dataset.pickerReady) return;
    input.dataset.pickerReady = "true";
    input.removeAttribute("list");  // the server no longer sends a capped datalist
    if (!input.id) input.id = `case-picker-${++serial}`;
    const wrap = document.createElement("div");  // positions the listbox right under the field
    wrap.className = "picker-field";
    input.before(wrap);
    wrap.append(input);
    const list = document.createElement("ul");
    list.id = `${input.id}-listbox`;
    list.className = "picker-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Matching cases");
    list.hidden = true;
    const status = document.createElement("p");
    status.id = `${input.id}-status`;
    status.className = "picker-status small muted";
    status.setAttribute("role", "status");
    const chosen = document.createElement("p");
    chosen.className = "picker-chosen small";
    chosen.setAttribute("aria-live", "polite");
    input.after(list);
    wrap.after(status, chosen);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    const described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    input.setAttribute("aria-describedby", [...described, status.id].join(" "));
    const exclude = new Set((input.dataset.exclude || "").split(",").filter(Boolean));
    let options = [];
    let active = -1;
    let timer = null;
    let asked = 0;

    function setActive(index) {
      active = index;
      Array.from(list.children).forEach((li, i) => li.setAttribute("aria-selected", String(i === index)));
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", list.children[index].id);
        list.children[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      if (!options.length) return;
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      setActive(-1);
    }

    function choose(index) {
      const option = options[index];
      if (!option) return;
      input.value = option.ref;
      chosen.textContent = `Chosen: ${option.title}`;
      close();
      status.textContent = "";
      input.dispatchEvent(new CustomEvent("casepicker:chosen", { bubbles: true, detail: option }));
    }

    function render(text, body) {
      options = body.options.filter((o) => !exclude.has(o.ref));
      list.replaceChildren(...options.map((o, i) => optionNode(o, `${list.id}-${i}`)));
      setActive(-1);
      if (!options.length) {
        close();
        status.textContent = `No case you may read matches “${text}”.`;
        return;
      }
      const more = body.total > body.options.length ? `; ${body.total} match in all, type more to narrow them` : "";
      status.textContent = `${options.length} case${options.length === 1 ? "" : "s"} shown${more}. Use the arrow keys and Enter to choose.`;
      open();
    }

    async function ask(text) {
      const mine = ++asked;
      try {
        const response = await fetch(`/cases/suggest?q=${encodeURIComponent(text)}`, {
          credentials: "same-origin", headers: { Accept: "application/json" },
        });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = await response.json();
        if (mine === asked) render(text, body);
        return body;
      } catch (err) {
        if (mine === asked) {
          close();
          status.textContent = "Suggestions are unavailable right now: type a title or slug and submit the form.";
        }
        return null;
      }
    }

    input.addEventListener("input", () => {
      clearTimeout(timer);
      chosen.textContent = "";
      const text = input.value.trim();
      if (text.length < MIN_CHARS) {
        asked += 1;
        options = [];
        close();
        status.textContent = "";
        return;
      }
      timer = setTimeout(() => ask(text), DELAY_MS);
    });

    input.addEventListener("keydown", (event) => {
      const last = options.length - 1;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        if (list.hidden) { open(); setActive(event.key === "ArrowDown" ? 0 : last); return; }
        const step = event.key === "ArrowDown" ? 1 : -1;
        setActive(active < 0 ? (step > 0 ? 0 : last) : (active + step + options.length) % options.length);
      } else if (event.key === "Enter" && !list.hidden && active >= 0) {
        event.preventDefault();  // choose; the next Enter submits the form
        choose(active);
      } else if (event.key === "Escape") {
        if (!list.hidden) { event.preventDefault(); close(); }
        else if (input.value) { event.preventDefault(); input.value = ""; chosen.textContent = ""; status.textContent = ""; }
      } else if (event.key === "Tab") {
        close();
      }
    });

    list.addEventListener("mousedown", (event) => event.preventDefault());  // keep the focus in the field
    list.addEventListener("click", (event) => {
      const li = event.target.closest("[role=option]");
      if (li) choose(Array.from(list.children).indexOf(li));
    });
    input.addEventListener("blur", () => close());

    /* A value already there (a link's ?template=): say which case it is and what the choice implies. */
    const value = input.value.trim();
    if (value.includes("/")) {
      ask(value.replace(/[/-]/g, " ")).then((body) => {
        close();
        status.textContent = "";
        const option = body && body.options.find((o) => o.ref === value);
        if (option) {
          chosen.textContent = `Chosen: ${option.title}`;
          input.dispatchEvent(new CustomEvent("casepicker:chosen", { bubbles: true, detail: option }));
        }
      });
    }
  }

  /* The plan wizard: a template without building blocks makes a thinner plan; say so before it is made. */
  document.addEventListener("casepicker:chosen", (event) => {
    const input = event.target;
    if (input.name !== "template") return;
    let note = document.getElementById(`${input.id}-lacks`);
    if (!note) {
      note = document.createElement("div");
      note.id = `${input.id}-lacks`;
      note.className = "note picker-lacks";
      note.setAttribute("role", "status");
      (input.closest(".picker-field") || input).parentElement.append(note);
    }
    const option = event.detail;
    note.hidden = option.building_blocks > 0;
    note.textContent = option.building_blocks > 0 ? "" :
      `“${option.title}” records no building blocks, so a plan from it will lack them: no table of what to ` +
      "transfer, adapt or rebuild, and a 12-step work plan of the guideline's generic tasks and the adaptations " +
      "only, with no task drawn from what this partnership did." +
      (option.evidence_level === "self-reported" ? " Its record is self-reported, not documented." : "") +
      " A documented case with building blocks makes a fuller plan.";
  });

  function enhanceAll(root) {
    (root || document).querySelectorAll(SELECTOR).forEach(enhance);
  }

  enhanceAll(document);
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
})();
