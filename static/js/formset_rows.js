// Rows of a Django formset added and removed without saving (progressive enhancement: without this file the
// formset's empty rows and its "Remove" boxes do the same, a few rows at a time).
//
// Markup (templates/programs/program_form.html): a container [data-formset="<prefix>"] holding the formset's
// management form, a [data-formset-body] of [data-formset-row] rows, a <template data-formset-template> with the
// empty form (its "__prefix__" becomes the row's index, "__number__" its number in the labels), a hidden
// [data-formset-add] button, [data-formset-nojs] hints to hide, and an aria-live [data-formset-status].
(function () {
  "use strict";

  function enhance(container) {
    var prefix = container.getAttribute("data-formset");
    var total = container.querySelector('input[name="' + prefix + '-TOTAL_FORMS"]');
    var max = container.querySelector('input[name="' + prefix + '-MAX_NUM_FORMS"]');
    var body = container.querySelector("[data-formset-body]");
    var template = container.querySelector("template[data-formset-template]");
    var addButton = container.querySelector("[data-formset-add]");
    var status = container.querySelector("[data-formset-status]");
    if (!total || !body || !template || !addButton) {
      return;
    }
    var removeLabel = container.getAttribute("data-remove-label") || "Remove";
    var removedMessage = container.getAttribute("data-removed-message") || "";

    function refreshAddButton() {
      var limit = max ? parseInt(max.value, 10) : NaN;
      addButton.disabled = !isNaN(limit) && parseInt(total.value, 10) >= limit;
    }

    function withRemoveButton(row) {
      var cell = row.querySelector("[data-formset-remove-cell]");
      if (!cell) {
        return;
      }
      var box = cell.querySelector('input[type="checkbox"][name$="-DELETE"]');
      if (box) {
        // The button replaces the box; the box stays in the form (hidden) and carries the choice.
        cell.querySelectorAll("label, input").forEach(function (element) {
          element.hidden = true;
        });
        // A row removed before the page came back (a preview, an error) stays removed.
        row.hidden = box.checked;
      }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "btn btn-outline-danger btn-sm";
      button.textContent = removeLabel;
      // Which row it removes, for screen readers ("Remove partner 3"): the cell's data-remove-name.
      if (cell.hasAttribute("data-remove-name")) {
        button.setAttribute("aria-label", cell.getAttribute("data-remove-name"));
      }
      button.addEventListener("click", function () {
        if (box) {
          box.checked = true;
          row.hidden = true;
        } else {
          // A row without a DELETE box is an extra one: gone from the form, it is an empty row to the server.
          row.remove();
        }
        if (status) {
          status.textContent = removedMessage;
        }
        addButton.focus();
      });
      cell.appendChild(button);
    }

    body.querySelectorAll("[data-formset-row]").forEach(withRemoveButton);
    container.querySelectorAll("[data-formset-nojs]").forEach(function (hint) {
      hint.hidden = true;
    });
    addButton.hidden = false;
    refreshAddButton();

    addButton.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index)).replace(/__number__/g, String(index + 1));
      var holder = document.createElement(body.tagName === "TBODY" ? "tbody" : "div");
      holder.innerHTML = html;
      var row = holder.querySelector("[data-formset-row]");
      if (!row) {
        return;
      }
      body.appendChild(row);
      total.value = String(index + 1);
      withRemoveButton(row);
      refreshAddButton();
      var first = row.querySelector("select, input:not([type=hidden]), textarea");
      if (first) {
        first.focus();
      }
    });
  }

  // Loaded with `defer` (program_form.html): the document is parsed when this runs.
  document.querySelectorAll("[data-formset]").forEach(enhance);
})();
