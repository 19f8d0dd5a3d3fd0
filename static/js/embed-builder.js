// « Intégrer le calendrier »: rebuild the snippet and the preview as choices change, and copy
// the snippet. Without JavaScript the form's button does the same through the server.
(function () {
  "use strict";
  var form = document.getElementById("embed-form");
  var output = document.getElementById("embed-snippet");
  var preview = document.getElementById("embed-preview");
  var copy = document.getElementById("embed-copy");
  var status = document.getElementById("embed-copied");
  if (!form || !output || !preview) { return; }
  var heights = JSON.parse(form.getAttribute("data-heights"));
  var titles = JSON.parse(form.getAttribute("data-titles"));

  function escapeAttribute(text) {
    return text.replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function update() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      // The frame's language travels as `lang`; the builder page keeps its own.
      if (value) { params.append(name === "embed_lang" ? "lang" : name, value); }
    });
    var query = params.toString();
    var height = heights[params.get("density")] || heights.normal;
    output.value = '<iframe src="' + escapeAttribute(form.getAttribute("data-embed-base") + "?" + query) +
      '" title="' + escapeAttribute(titles[params.get("lang")] || "") + '" height="' +
      height + '" style="border:0;width:100%;max-width:100%" loading="lazy"></iframe>';
    preview.src = form.getAttribute("data-preview-base") + "?" + query;
    preview.height = height;
    if (window.history.replaceState) {
      window.history.replaceState(null, "", "?" + query.replace(/(^|&)lang=/, "$1embed_lang="));
    }
    if (status) { status.textContent = ""; }
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });

  if (copy) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      var done = function () {
        status.textContent = document.getElementById("embed-copied-text").textContent;
      };
      output.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(output.value).then(done, function () {
          document.execCommand("copy");
          done();
        });
      } else {
        document.execCommand("copy");
        done();
      }
    });
  }
}());
