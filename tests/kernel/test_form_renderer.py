"""Selects rendered in Python (`PortalFormRenderer`) give exactly the HTML of Django's own templates."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from portal.kernel.forms import PortalFormRenderer

CHOICES = [
    ("", "Any"),
    ("a&b", 'Quote " and <tag>'),
    (3, mark_safe("<b>safe</b>")),
    ("Group", [("g1", "In a group"), ("g2", "Another")]),
]


class Sample(forms.Form):
    single = forms.ChoiceField(choices=CHOICES, required=False)
    several = forms.MultipleChoiceField(choices=CHOICES, required=False, widget=forms.SelectMultiple(attrs={"size": 4}))
    yes_no = forms.NullBooleanField(required=False)
    plain = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=forms.Select(attrs={"disabled": True}))


@pytest.mark.parametrize(
    "data",
    [None, {"single": "a&b", "several": ["g1", "3"], "yes_no": "true", "plain": "y"}, {"single": "nope"}],
)
@pytest.mark.parametrize("name", ["single", "several", "yes_no", "plain"])
def test_the_same_html_as_django_templates(data, name):
    fast = Sample(data, renderer=PortalFormRenderer())
    django = Sample(data, renderer=DjangoTemplates())

    assert str(fast[name]) == str(django[name])
    assert fast[name].as_widget(attrs={"class": "form-select is-invalid"}) == django[name].as_widget(
        attrs={"class": "form-select is-invalid"}
    )


def test_other_widgets_still_use_their_templates():
    class Other(forms.Form):
        boxes = forms.MultipleChoiceField(choices=[("a", "A")], widget=forms.CheckboxSelectMultiple)
        text = forms.CharField()

    assert str(Other(renderer=PortalFormRenderer())) == str(Other(renderer=DjangoTemplates()))
