// Searchable selects (portal/kernel/forms.py, SearchableSelect and SearchableSelectMultiple).
//
// Each <select data-searchable-select> becomes a Tom Select (static/vendor/tom-select): type to narrow the options,
// arrows and Enter to choose, Backspace or the × of a chip to remove one; a click adds to the choices instead of
// replacing them. Without JavaScript (or when the library did not load) the plain select works as it is, with its
// "hold Ctrl" hint. Translated texts come from the select's data- attributes, written by the server.
(function () {
  "use strict";

  function text(select, name) {
    return select.getAttribute(name) || "";
  }

  function message(className, content) {
    var element = document.createElement("div");
    element.className = className;
    element.textContent = content;
    return element;
  }

  // Long lists ask the server as the user types (data-options-url, iros/views/options.py). The page's select still
  // decides what may be chosen: answers it does not offer (the owner in its own audience, say) are left out.
  function remoteSettings(select) {
    var url = new URL(text(select, "data-options-url"), window.location.href);
    var offered = new Map();
    Array.prototype.slice.call(select.options).forEach(function (option) {
      offered.set(option.value, true);
      // Only the chosen options (and an empty one) stay in the page; the others come from the server.
      if (!option.selected && option.value !== "") {
        option.remove();
      }
    });
    return {
      valueField: "value",
      labelField: "text",
      searchField: ["text"],
      preload: "focus",
      shouldLoad: function () {
        return true;
      },
      // The server has matched and ordered the answer (codes, names in other languages): shown as it comes.
      score: function () {
        return function () {
          return 1;
        };
      },
      load: function (query, callback) {
        var tomSelect = this;
        url.searchParams.set("q", query);
        fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.ok ? response.json() : { results: [] };
          })
          .then(function (data) {
            // Only this answer is offered (the chosen options stay chosen).
            tomSelect.clearOptions();
            callback(
              (data.results || []).filter(function (row) {
                return offered.has(row.value);
              })
            );
          })
          .catch(function () {
            callback();
          });
      },
    };
  }

  // An option or a chosen item, by its text; names that stay as their owners wrote them say so (translate="no").
  function named(select) {
    var notTranslated = select.hasAttribute("data-names-not-translated");
    return function (data) {
      var element = message("", data.text);
      if (notTranslated) {
        element.setAttribute("translate", "no");
      }
      return element;
    };
  }

  function upgrade(select) {
    if (select.tomselect) {
      return;
    }
    var settings = {
      placeholder: text(select, "data-placeholder"),
      hidePlaceholder: false,
      maxOptions: null,
      allowEmptyOption: !select.multiple,
      closeAfterSelect: !select.multiple,
      plugins: select.multiple ? { remove_button: { title: text(select, "data-remove-label") } } : {},
      // After a choice the typed text goes, so the next one can be typed straight away.
      onItemAdd: function () {
        if (select.multiple) {
          this.setTextboxValue("");
          this.refreshOptions(false);
        }
      },
      render: {
        option: named(select),
        item: named(select),
        no_results: function () {
          return message("no-results", text(select, "data-no-results"));
        },
      },
    };
    if (select.hasAttribute("data-options-url")) {
      Object.assign(settings, remoteSettings(select));
    }
    var tomSelect = new window.TomSelect(select, settings);
    // Tom Select points the label at its own text box; the original select, kept for the form, still needs a name.
    var labelledBy = tomSelect.control_input.getAttribute("aria-labelledby");
    if (labelledBy) {
      select.setAttribute("aria-labelledby", labelledBy);
    }
    // The enhanced select needs no key held down: its hint would only mislead.
    var hint = select.id && document.getElementById(select.id + "_keyhint");
    if (hint) {
      hint.hidden = true;
    }
  }

  // Loaded with `defer` (base.html), after Tom Select: the document is parsed when this runs.
  if (typeof window.TomSelect === "function") {
    document.querySelectorAll("select[data-searchable-select]").forEach(upgrade);
  }
})();
