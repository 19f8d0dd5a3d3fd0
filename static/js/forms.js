// After a refused submit, move the focus to the error summary above the form, so keyboard
// and screen-reader users start from the list of errors (its links lead to each field).
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
}());
