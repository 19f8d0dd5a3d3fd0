// Site menu: on small screens the header folds behind a disclosure button.
(function () {
  "use strict";
  var button = document.querySelector(".menu-button");
  var menu = document.getElementById("site-menu");
  if (!button || !menu) { return; }
  document.documentElement.classList.add("js-menu");
  button.hidden = false;
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    menu.classList.toggle("open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("open")) {
      button.setAttribute("aria-expanded", "false");
      menu.classList.remove("open");
      button.focus();
    }
  });
})();
