/* The plan page: accessible tabs for the scaling dimensions, ticks and text edits that save at once
   (optimistic version; a conflict says so), and a PDF download that shows progress while rendering. */
"use strict";

(() => {
  const root = document.getElementById("plan");
  if (!root) return;
  const status = document.getElementById("plan-status");

  function say(text, bad) {
    status.textContent = text;
    status.classList.toggle("bad", Boolean(bad));
  }

  function setVersion(version) {
    root.dataset.version = String(version);
    root.querySelectorAll("[data-version]").forEach((input) => { input.value = String(version); });
    const label = root.querySelector("[data-version-label]");
    if (label) label.textContent = String(version);
  }

  /** Posts one line's change; resolves to the JSON answer, or throws with the server's message. */
  async function save(line, field, value) {
    const body = new URLSearchParams({ line, field, value, version: root.dataset.version });
    const response = await fetch(`/plans/${root.dataset.plan}/edit`, {
      method: "POST", body, credentials: "same-origin",
      headers: { Accept: "application/json", "x-csrftoken": casebookCsrfToken() },
    });
    let answer = {};
    try { answer = await response.json(); } catch (err) { answer = {}; }
    if (!response.ok) {
      const detail = (answer.problems || []).map((p) => p.message).join("; ");
      const error = new Error(response.status === 409
        ? "Someone else changed this plan meanwhile, so your change was not saved. Reload the page to see their version, then try again."
        : (detail || answer.error || `Could not save (HTTP ${response.status}).`));
      error.conflict = response.status === 409;
      throw error;
    }
    setVersion(answer.version);
    const count = root.querySelector("[data-progress-count]");
    if (count && answer.total !== undefined) count.textContent = `${answer.done} of ${answer.total}`;
    return answer;
  }

  /* Owner and phase of a task or line: saved as soon as one is chosen (a plain form without script). */
  root.addEventListener("change", async (event) => {
    const select = event.target.closest("select[data-assign]");
    if (!select) return;
    const before = select.dataset.saved ?? select.defaultValue;
    select.disabled = true;
    say("Saving…");
    try {
      await save(select.dataset.assign, select.dataset.field, select.value);
      select.dataset.saved = select.value;
      say(`${select.dataset.field === "owner" ? "Owner" : "Timing"} saved: ${select.options[select.selectedIndex].text}. It stays when the plan is re-generated.`);
    } catch (err) {
      if (before !== undefined) select.value = before;
      say(err.message, true);
    } finally {
      select.disabled = false;
    }
  });

  /* Ticks. */
  root.addEventListener("change", async (event) => {
    const box = event.target.closest("input[data-tick]");
    if (!box) return;
    const line = box.dataset.tick;
    box.disabled = true;
    say("Saving…");
    try {
      await save(line, "done", box.checked ? "true" : "false");
      box.closest("li").classList.toggle("done", box.checked);
      say(box.checked ? "Marked as done; saved." : "Marked as not done; saved.");
    } catch (err) {
      box.checked = !box.checked;
      say(err.message, true);
    } finally {
      box.disabled = false;
    }
  });

  /* Text edits: the form works without script too; with it, the page stays where it is. */
  root.addEventListener("submit", async (event) => {
    const form = event.target.closest("form[data-plan-edit]");
    if (!form) return;
    event.preventDefault();
    const line = form.elements.line.value;
    const value = form.elements.value.value;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say("Saving…");
    try {
      await save(line, "text", value);
      const text = value.trim();
      root.querySelectorAll(`[data-text-of="${CSS.escape(line)}"]`).forEach((el) => {
        if (text) el.textContent = text;
      });
      root.querySelectorAll(`form[data-plan-edit] input[name=line][value="${CSS.escape(line)}"]`).forEach((input) => {
        if (text) input.form.elements.value.value = text;
      });
      form.closest("details").open = false;
      say(text ? "Text saved. It stays when the plan is re-generated." : "Back to the generated text; reload to see it.");
    } catch (err) {
      say(err.message, true);
    } finally {
      button.disabled = false;
    }
  });

  /* PDF download: rendering takes a few seconds, so say so and keep the page responsive. */
  root.querySelectorAll("a[data-download]").forEach((link) => {
    link.addEventListener("click", async (event) => {
      event.preventDefault();
      if (link.getAttribute("aria-busy") === "true") return;
      link.setAttribute("aria-busy", "true");
      say("Rendering the PDF… this can take a few seconds.");
      try {
        const response = await fetch(link.href, { credentials: "same-origin" });
        if (!response.ok) throw new Error(`The PDF could not be rendered (HTTP ${response.status}).`);
        const blob = await response.blob();
        const url = URL.createObjectURL(blob);
        const save = document.createElement("a");
        save.href = url;
        save.download = link.dataset.download;
        document.body.appendChild(save);
        save.click();
        save.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10000);
        say(`PDF ready (${Math.max(1, Math.round(blob.size / 1024))} KB).`);
      } catch (err) {
        say(err.message, true);
      } finally {
        link.removeAttribute("aria-busy");
      }
    });
  });

  /* A link to a place inside a folded section (the contents, "by owner", a citation) opens the sections around it. */
  function reveal(hash) {
    const target = hash && document.getElementById(decodeURIComponent(hash.slice(1)));
    const own = target && target.querySelector(":scope > details.section");
    if (own) own.open = true;
    for (let d = target && target.closest("details"); d; d = d.parentElement && d.parentElement.closest("details")) {
      d.open = true;
    }
  }
  window.addEventListener("hashchange", () => reveal(window.location.hash));
  root.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#"]');
    if (link) reveal(link.hash);
  });
  reveal(window.location.hash);

  /* Tabs (WAI-ARIA pattern): without script every dimension shows, each under its anchor. */
  root.querySelectorAll("[data-tabs]").forEach((list) => {
    const tabs = Array.from(list.querySelectorAll("a"));
    const panels = tabs.map((tab) => document.getElementById(tab.hash.slice(1)));
    list.setAttribute("role", "tablist");
    list.setAttribute("aria-label", list.dataset.tabs || "Scaling dimensions");
    list.querySelectorAll("li").forEach((li) => li.setAttribute("role", "presentation"));
    function select(index, focus) {
      tabs.forEach((tab, i) => {
        const on = i === index;
        tab.setAttribute("aria-selected", String(on));
        tab.tabIndex = on ? 0 : -1;
        panels[i].hidden = !on;
      });
      if (focus) tabs[index].focus();
    }
    tabs.forEach((tab, i) => {
      tab.setAttribute("role", "tab");
      tab.setAttribute("aria-controls", panels[i].id);
      panels[i].setAttribute("role", "tabpanel");
      panels[i].tabIndex = 0;
      tab.addEventListener("click", (event) => { event.preventDefault(); select(i, false); });
      tab.addEventListener("keydown", (event) => {
        const last = tabs.length - 1;
        const next = { ArrowRight: i === last ? 0 : i + 1, ArrowLeft: i === 0 ? last : i - 1, Home: 0, End: last }[event.key];
        if (next === undefined) return;
        event.preventDefault();
        select(next, true);
      });
    });
    const fromHash = tabs.findIndex((tab) => tab.hash === window.location.hash);
    /* Named views (the brief, the full plan) open on the first; the dimensions on the first with work. */
    const firstWithWork = list.dataset.tabs ? 0 : tabs.findIndex((tab, i) => panels[i].querySelector(".line"));
    select(fromHash >= 0 ? fromHash : Math.max(0, firstWithWork), false);
  });
})();
