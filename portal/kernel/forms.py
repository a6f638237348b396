"""Form pieces every app's pages share. Forms only validate and shape input; no rule lives here."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

# The longest free text a form takes (summaries, outcomes, descriptions): generous, but bounded.
LONG_TEXT = 20000

# The one line above every form that did not validate, on every page (templates read it through the
# `form_errors_summary` tag): people learn one sentence, and that nothing was saved.
FORM_ERRORS_SUMMARY = _("Nothing was saved. Please correct the fields marked below.")


class DateInput(forms.DateInput):
    """A native date picker: the browser wants ISO dates."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class _Searchable:
    """A select that static/js/searchable-select.js upgrades to a searchable one (Tom Select, vendored under
    static/vendor/tom-select): type to narrow the options, arrows and Enter to choose, chosen items shown as chips.

    Progressive enhancement: the HTML is a plain `<select>` marked `data-searchable-select`, which works as it is
    when JavaScript is off. A multiple select then also carries the "hold Ctrl" hint, which the script hides once
    it has upgraded the select (and the style sheet hides on touch screens, where the native list needs no key).

    `options_url` is the address (a lazy `reverse` will do) that answers the options matching `?q=` as JSON
    (`{"results": [{"value", "text"}]}`): the
    script then asks it as the user types instead of searching the list in the page. The script still offers only
    the values the page's own select holds, so the form never sees a choice it did not offer.
    """

    def __init__(self, attrs=None, choices=(), *, options_url=None):
        super().__init__(attrs, choices)
        self.options_url = options_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        widget_attrs["data-searchable-select"] = True
        widget_attrs["data-placeholder"] = _("Search…")
        widget_attrs["data-no-results"] = _("No match")
        widget_attrs["data-remove-label"] = _("Remove")
        if self.options_url:
            widget_attrs["data-options-url"] = str(self.options_url)
        if self.allow_multiple_selected and widget_attrs.get("id"):
            described_by = [widget_attrs.get("aria-describedby"), self.hint_id(widget_attrs["id"])]
            widget_attrs["aria-describedby"] = " ".join(part for part in described_by if part)
        return context

    @staticmethod
    def hint_id(select_id: str) -> str:
        return f"{select_id}_keyhint"

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs=attrs, renderer=renderer)
        if not self.allow_multiple_selected:
            return html
        select_id = (attrs or {}).get("id") or self.attrs.get("id")
        return format_html(
            '{}<div class="form-text searchable-select-hint"{}>{}</div>',
            html,
            format_html(' id="{}"', self.hint_id(select_id)) if select_id else "",
            _("Hold Ctrl (⌘ on a Mac) to choose several."),
        )


class SearchableSelect(_Searchable, forms.Select):
    """One choice among many (organizations, countries), searchable once JavaScript runs."""


class SearchableSelectMultiple(_Searchable, forms.SelectMultiple):
    """Several choices among many (regions, countries, organizations), searchable once JavaScript runs."""


class ServiceErrorsMixin:
    """For forms whose input goes to a service that may answer with a ValidationError."""

    def add_service_error(self, error: ValidationError) -> None:
        """A service's ValidationError as form errors: on the field it names, else on the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)


class ModelRulesMixin(ServiceErrorsMixin):
    """For forms whose input becomes a `model` record: the model's own field rules (`Model.clean()`) judge the
    input, so each rule is written once, on the model, and its error shows next to the field it names."""

    model: type[models.Model]

    def rules_instance(self) -> models.Model:
        """An unsaved record holding the valid input. A form that edits part of a record overrides this to add
        the record's current values that the rules compare with."""
        names = {field.name for field in self.model._meta.concrete_fields}
        return self.model(**{name: value for name, value in self.cleaned_data.items() if name in names})

    def clean(self):
        cleaned = super().clean()
        try:
            self.rules_instance().clean()
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned


# --- rendering --------------------------------------------------------------------------------------------------

SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _html_attrs(attrs: dict) -> str:
    """Django's `django/forms/widgets/attrs.html`: `False` leaves the attribute out, `True` writes its name alone."""
    return "".join(
        f" {conditional_escape(name)}" + ("" if value is True else f'="{conditional_escape(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def render_select(widget: dict) -> str:
    """What Django's select template makes of a select widget's context, character for character, built in Python.

    A list page's filter form holds selects of every organization and every country (hundreds of options): the
    template engine spends about 0.1 ms including the option template for each of them, this a few microseconds.
    """
    parts = [f'<select name="{conditional_escape(widget["name"])}"{_html_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_html_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts).strip())  # noqa: S308 — every piece above is escaped


class PortalFormRenderer(DjangoTemplates):
    """Django's default form renderer, except that selects with Django's own templates are written in Python
    (`render_select`): the same HTML, without a template include per option. Any other widget, or a select
    given its own template, goes through the templates as before."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if template_name == SELECT_TEMPLATE else None
        if widget is not None and all(
            option.get("template_name") == OPTION_TEMPLATE
            for _name, options, _index in widget["optgroups"]
            for option in options
        ):
            return render_select(widget)
        return super().render(template_name, context, request=request)
