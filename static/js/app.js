// Progressive enhancement only: every page works without JavaScript.
// The region filter drills down one level per choice, so submit as soon as it changes.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.dataset.autosubmit && event.target.name === form.dataset.autosubmit) {
    form.requestSubmit();
  }
});

// A step that cannot be undone (submitting a proposal, approving a forum) asks first, then says
// it is under way: on a slow line the page may take seconds to come back, and a second tap
// would only queue a second request. The buttons are disabled after the submit has begun, so
// the form's data is already taken.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
    return;
  }
  if (form.dataset.working) {
    form.setAttribute("aria-busy", "true");
    setTimeout(() => {
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.disabled = true;
        button.textContent = form.dataset.working;
      }
    }, 0);
  }
});
