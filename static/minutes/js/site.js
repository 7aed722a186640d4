/* The site's one script, loaded from our own origin (the CSP allows no inline script).
   Everything here is an enhancement: each page works and prints without it. */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    // Print buttons are hidden until there is a script to press them.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });

    // The printed footer names the document's 文号 (print.css reads --doc-number in its
    // @page margin box); a style set from a script passes the CSP, an inline one would not.
    var documentNumber = document.querySelector("[data-doc-number]");
    if (documentNumber) {
      document.documentElement.style.setProperty(
        "--doc-number", JSON.stringify(documentNumber.getAttribute("data-doc-number")));
    }

    // The search form sends only the fields filled in: a shorter address to share, and the
    // same search as without the script (empty fields mean "any").
    document.querySelectorAll("form[data-drop-empty]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("input, select").forEach(function (field) {
          if (field.name && field.value === "" && !field.disabled) { field.disabled = true; }
        });
        // Back to this page from the results: the fields must be usable again.
        window.addEventListener("pageshow", function () {
          form.querySelectorAll("[disabled]").forEach(function (field) { field.disabled = false; });
        }, { once: true });
      });
    });

    // A search facet's box applies itself (through the form's submit handlers above), so
    // its separate button is only for pages without the script.
    document.querySelectorAll("input[type=checkbox][data-autosubmit]").forEach(function (box) {
      box.addEventListener("change", function () { box.form.requestSubmit(); });
    });
    document.querySelectorAll("[data-script-hides]").forEach(function (element) {
      element.hidden = true;
    });

    // Choosing a language switches at once; the button stays for those without a script.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  });
})();
