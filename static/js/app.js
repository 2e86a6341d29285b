// Progressive enhancement only: every page works without JavaScript.
// The region filter drills down one level per choice, so submit as soon as it changes.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.dataset.autosubmit && event.target.name === form.dataset.autosubmit) {
    form.requestSubmit();
  }
});

// A form sent back with errors: the summary of what to correct takes the focus, so that a screen
// reader reads it first and a phone scrolls to it (GOV.UK's error summary does the same).
const summary = document.querySelector("#form-errors, form .message.error[role=alert], .message.error[role=alert]");
if (summary) {
  summary.tabIndex = -1;
  summary.focus();
}

// A step that cannot be undone (submitting a proposal, approving a forum) asks first. Every form
// that sends something then says it is under way: on a slow line the page may take seconds to
// come back, and a second tap would only queue a second request. The buttons are disabled after
// the submit has begun, so the form's data (and the button pressed) are already taken. A form
// that answers with a file leaves the page where it is: its buttons come back after a while, and
// when the browser brings the page back from its history.
const WORKING = document.body.dataset.working || "…";
const restore = (form) => {
  form.removeAttribute("aria-busy");
  for (const button of form.querySelectorAll("button[type=submit]")) {
    button.disabled = false;
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
};
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (form.method.toLowerCase() !== "post" && !form.dataset.working) return;
  form.setAttribute("aria-busy", "true");
  const buttons = [...form.querySelectorAll("button[type=submit]")];
  const pressed = event.submitter && buttons.includes(event.submitter) ? event.submitter : buttons[0];
  setTimeout(() => {
    for (const button of buttons) button.disabled = true;
    if (pressed) {
      pressed.dataset.label = pressed.textContent;
      pressed.textContent = form.dataset.working || WORKING;
    }
  }, 0);
  setTimeout(() => restore(form), 20000);
});
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[aria-busy]")) restore(form);
});

// A table wider than the screen scrolls sideways in its box: the box takes the keyboard focus
// (Tab, then the arrow keys) and is named after its table, so that it can be scrolled without a
// mouse or a finger.
const scrollable = (root) => {
  for (const box of root.querySelectorAll(".table-container")) {
    if (box.scrollWidth > box.clientWidth + 1) {
      const caption = box.querySelector("caption");
      box.tabIndex = 0;
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", (caption && caption.textContent.trim()) || document.title);
    }
  }
};
scrollable(document);
// A table folded in a closed <details> has no width yet: it is measured when it opens. The
// toggle event does not bubble, hence the capture.
document.addEventListener(
  "toggle",
  (event) => {
    if (event.target.open) scrollable(event.target);
  },
  true,
);

// A list's filters (and a dashboard's tables) fold behind a button on a phone; on a wider screen
// they are simply open.
if (window.matchMedia("(min-width: 48rem)").matches) {
  for (const details of document.querySelectorAll("details[data-open-wide]")) details.open = true;
}

// "Tick every item on this page": a header checkbox that only makes sense with JavaScript,
// so the page shows it only then.
for (const all of document.querySelectorAll("[data-check-all]")) {
  const boxes = () => [...all.form.elements].filter((box) => box.name === all.dataset.checkAll);
  all.hidden = false;
  all.addEventListener("change", () => {
    for (const box of boxes()) box.checked = all.checked;
  });
}

// The scoring grid: the weighted score of a row follows what is typed (the server works it
// out again on saving; this only shows where an item will stand).
const grid = document.querySelector(".score-grid");
if (grid) {
  const weights = [...grid.querySelectorAll("th[data-weight]")].map((th) => Number(th.dataset.weight));
  const total = Number(grid.dataset.totalWeight);
  grid.addEventListener("input", (event) => {
    const row = event.target.closest("tr");
    // An automatic criterion's cell is an <output class="score"> holding its score.
    const values = [...row.querySelectorAll(".score")].map((cell) => Number(cell.value));
    const output = row.querySelector("output.weighted");
    if (values.every((v) => Number.isInteger(v) && v >= 1 && v <= 5)) {
      const sum = values.reduce((acc, v, i) => acc + v * weights[i], 0);
      output.value = (sum / total).toFixed(2).replace(".", document.documentElement.lang === "id" ? "," : ".");
    } else {
      output.value = "–";
    }
  });
}

// Where a mouse can drag, a ranking row dropped on another takes that row's place (the same
// "move to" form a phone fills in by typing the place).
const ranking = document.querySelector("table[data-draggable-rows]");
if (ranking && window.matchMedia("(pointer: fine)").matches) {
  let dragged = null;
  for (const row of ranking.querySelectorAll("tbody tr[data-rank]")) {
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.id);
    });
    row.addEventListener("dragend", () => row.classList.remove("dragging"));
    row.addEventListener("dragover", (event) => {
      if (dragged && dragged !== row) {
        event.preventDefault();
        row.classList.add("drop-target");
      }
    });
    row.addEventListener("dragleave", () => row.classList.remove("drop-target"));
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      row.classList.remove("drop-target");
      if (!dragged || dragged === row) return;
      const form = dragged.querySelector("form.move-form");
      form.querySelector("input[name=position]").value = row.dataset.rank;
      form.requestSubmit();
    });
  }
}

// A "Print" button (no inline handlers: the Content-Security-Policy allows none). Without
// JavaScript it stays hidden and the browser's own print command does the same.
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}

// Photos are made smaller in the phone before they go up (a 12-megapixel photo of 5-9 MB becomes
// about half a megabyte, seconds instead of minutes on 3G). The server re-encodes whatever
// arrives (proposals/forms.py: stored_photo), so a browser that cannot do this loses nothing.
for (const input of document.querySelectorAll("input[type=file][data-resize]")) {
  input.addEventListener("change", async () => {
    const side = Number(input.dataset.resize);
    const resized = new DataTransfer();
    let changed = false;
    for (const file of input.files) {
      let kept = file;
      if (file.type.startsWith("image/") && window.createImageBitmap) {
        try {
          const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
          const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
          if (scale < 1) {
            const canvas = document.createElement("canvas");
            canvas.width = Math.round(bitmap.width * scale);
            canvas.height = Math.round(bitmap.height * scale);
            canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
            const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
            if (blob && blob.size < file.size) {
              kept = new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", { type: "image/jpeg" });
              changed = true;
            }
          }
          bitmap.close();
        } catch {
          kept = file; // not an image the browser can read: the server judges it
        }
      }
      resized.items.add(kept);
    }
    if (changed) {
      input.files = resized.files;
    }
    input.dataset.resized = changed ? "yes" : "no";
  });
}

// The catalogue on the proposal form (proposals/cataloguing.py): a search box above the item's
// drop-down asks the server as the village types (case and accents aside); picking an item fills
// in the unit, sector, agency and kind of work, and shows volume × unit price. The server computes
// the cost again when saving; without JavaScript the drop-down alone does the work.
const catalogue = document.querySelector("select[data-catalogue]");
if (catalogue) {
  const form = catalogue.form;
  const field = (name) => form.elements.namedItem(name);
  const search = document.createElement("input");
  search.type = "search";
  search.autocomplete = "off";
  search.setAttribute("aria-label", catalogue.dataset.searchLabel);
  search.placeholder = catalogue.dataset.searchLabel;
  const results = document.createElement("ul");
  results.className = "catalogue-results";
  results.setAttribute("aria-live", "polite");
  catalogue.before(search, results);
  const fill = () => {
    const option = catalogue.selectedOptions[0];
    if (!option || !option.dataset.price) return;
    field("unit").value = option.dataset.unit;
    field("sector").value = option.dataset.sector;
    field("target_agency").value = option.dataset.agency;
    for (const radio of form.querySelectorAll("input[name=work_kind]")) radio.checked = radio.value === option.dataset.kind;
    const volume = parseFloat((field("volume").value || "").replace(",", "."));
    if (volume > 0) field("estimated_cost").value = Math.round(volume * Number(option.dataset.price)).toLocaleString("id-ID");
  };
  catalogue.addEventListener("change", fill);
  field("volume").addEventListener("input", fill);
  let typing;
  search.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(async () => {
      const words = search.value.trim();
      results.replaceChildren();
      if (!words) return;
      const query = new URLSearchParams({ tahun: catalogue.dataset.catalogue, q: words });
      const response = await fetch(`${catalogue.dataset.searchUrl}?${query}`, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      for (const item of (await response.json()).items) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button small";
        button.textContent = `${item.name} (${item.unit}, ${item.price}) · ${item.agency}`;
        button.addEventListener("click", () => {
          catalogue.value = String(item.id);
          fill();
          results.replaceChildren();
          search.value = item.name;
        });
        const row = document.createElement("li");
        row.append(button);
        results.append(row);
      }
    }, 250);
  });
}
