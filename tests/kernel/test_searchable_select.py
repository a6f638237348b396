"""The searchable selects' HTML: a plain select that works without JavaScript, marked for the script to upgrade."""

from django import forms

from confidentiality.forms import SubmissionForm
from iros.forms import EventForm, InteractionForm, OrganizationProfileForm
from portal.kernel.forms import PortalFormRenderer, SearchableSelect, SearchableSelectMultiple
from programs.forms import ProgramForm

CHOICES = [("kz", "Kazakhstan"), ("uz", "Uzbekistan")]


class Sample(forms.Form):
    several = forms.MultipleChoiceField(
        choices=CHOICES, required=False, help_text="Where it happens.", widget=SearchableSelectMultiple
    )
    remote = forms.MultipleChoiceField(
        choices=CHOICES, required=False, widget=SearchableSelectMultiple(options_url="/options/countries/")
    )
    one = forms.ChoiceField(choices=CHOICES, required=False, widget=SearchableSelect)


def test_a_multiple_select_is_marked_for_the_script_and_carries_the_ctrl_hint():
    html = str(Sample({"several": ["uz"]}, renderer=PortalFormRenderer())["several"])

    assert html.startswith('<select name="several"')
    assert " multiple" in html and " data-searchable-select" in html
    assert '<option value="uz" selected>Uzbekistan</option>' in html
    # The hint says how to choose several without the script; the select names it beside its help text.
    assert '<div class="form-text searchable-select-hint" id="id_several_keyhint">Hold Ctrl' in html
    assert 'aria-describedby="id_several_helptext id_several_keyhint"' in html
    assert "data-options-url" not in html


def test_a_long_list_names_where_to_ask_for_its_options():
    html = str(Sample(renderer=PortalFormRenderer())["remote"])
    assert 'data-options-url="/options/countries/"' in html
    assert 'aria-describedby="id_remote_keyhint"' in html


def test_a_single_select_has_no_ctrl_hint():
    html = str(Sample(renderer=PortalFormRenderer())["one"])
    assert " data-searchable-select" in html
    assert "keyhint" not in html and "Hold Ctrl" not in html


def test_the_long_multi_selects_of_the_forms_are_searchable():
    fields = [
        *(ProgramForm.base_fields[name] for name in ("regions", "beneficiary_countries", "funding_states")),
        SubmissionForm.base_fields["shared_with"],
        InteractionForm.base_fields["organizations"],
        EventForm.base_fields["participants"],
        *(OrganizationProfileForm.base_fields[name] for name in ("regions", "member_states")),
    ]
    assert all(isinstance(field.widget, SearchableSelectMultiple) for field in fields)
    assert all("Ctrl" not in str(field.help_text) for field in fields)
