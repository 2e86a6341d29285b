// Progressive enhancement only: every page works without JavaScript.
// The region filter drills down one level per choice, so submit as soon as it changes.
document.addEventListener("change", (event) => {
  const form = event.target.form;
  if (form && form.dataset.autosubmit && event.target.name === form.dataset.autosubmit) {
    form.requestSubmit();
  }
});
