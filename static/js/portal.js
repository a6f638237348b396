// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") {
      callback();
    } else {
      document.addEventListener("DOMContentLoaded", callback);
    }
  }

  ready(function () {
    // Selects marked data-autosubmit submit their form on change; their fallback button is then redundant.
    document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
      var form = select.form;
      if (!form) {
        return;
      }
      form.querySelectorAll("[data-autosubmit-button]").forEach(function (button) {
        button.classList.add("visually-hidden");
      });
      select.addEventListener("change", function () {
        form.requestSubmit ? form.requestSubmit() : form.submit();
      });
    });

    // "Print" buttons (templates/includes/_print_button.html) stay hidden without JavaScript: the browser's own
    // print command gives the same printout (static/css/print.css).
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });

    // Buttons marked data-confirm ask before submitting (e.g. destructive actions).
    document.querySelectorAll("[data-confirm]").forEach(function (element) {
      element.addEventListener("click", function (event) {
        if (!window.confirm(element.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  });
})();
