// Progressive enhancement of the activity form: "Ajouter une date" copies the last row
// in the page instead of a round trip; without JavaScript the button posts the form.
(function () {
  "use strict";
  var form = document.getElementById("activity-form");
  if (!form) { return; }
  var list = form.querySelector(".occurrences");
  var button = document.getElementById("add-date");
  if (!list || !button) { return; }

  button.addEventListener("click", function (event) {
    var rows = list.querySelectorAll(".occurrence-row");
    var max = parseInt(list.getAttribute("data-max"), 10) || 20;
    if (rows.length >= max) { return; }
    event.preventDefault();
    var index = rows.length;
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll(".error").forEach(function (node) { node.remove(); });
    copy.querySelectorAll(".has-error").forEach(function (node) {
      node.classList.remove("has-error");
    });
    copy.querySelectorAll("input, label, p").forEach(function (node) {
      ["id", "name", "for"].forEach(function (attribute) {
        var value = node.getAttribute(attribute);
        if (value) {
          node.setAttribute(attribute, value.replace(/occurrences-\d+-/, "occurrences-" + index + "-"));
        }
      });
      if (node.tagName === "INPUT") {
        node.removeAttribute("aria-invalid");
        node.removeAttribute("aria-describedby");
        // Times are often the same from one date to the next; the day is not. The copy
        // is a new date, not the saved one it was copied from.
        if (/-(day|uid)$/.test(node.name)) { node.value = ""; }
      }
    });
    list.appendChild(copy);
    var first = copy.querySelector("input");
    if (first) { first.focus(); }
  });
}());
