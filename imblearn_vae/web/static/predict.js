// "Fill in an example row": a real test row of a class picked in turn, from
// the examples the model file carries.
(function () {
  const button = document.getElementById("fill-example");
  const data = document.getElementById("examples");
  if (!button || !data) return;
  const examples = JSON.parse(data.textContent);
  const rows = [];
  for (const label of Object.keys(examples)) {
    for (const row of examples[label]) rows.push([label, row]);
  }
  let next = 0;
  button.addEventListener("click", function () {
    const [label, row] = rows[next % rows.length];
    next += 1;
    const form = document.getElementById("connection-form");
    for (const [name, value] of Object.entries(row)) {
      // a feature's field is named with a prefix (pages.FIELD_PREFIX)
      const field = form.elements.namedItem(form.dataset.fieldPrefix + name);
      if (field) field.value = String(value);
    }
    document.getElementById("example-note").textContent =
      "A test row labelled " + label + ".";
  });
})();
