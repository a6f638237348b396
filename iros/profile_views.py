"""Editing an organization's profile: its focal points (and administrators) keep it up to date."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_countries import countries

from confidentiality import policies
from iros.models import Organization, Region, ThematicArea
from iros.selectors import organization_get
from iros.services import organization_update
from portal.kernel.forms import ServiceErrorsMixin


class OrganizationProfileForm(ServiceErrorsMixin, forms.Form):
    """What a focal point may change on its organization's profile; administrators also the name and kind."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=Organization.Kind.choices)
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    website = forms.URLField(label=gettext_lazy("Website"), required=False, assume_scheme="https")
    seat = forms.CharField(label=gettext_lazy("Seat"), max_length=200, required=False)
    regions = forms.MultipleChoiceField(
        label=gettext_lazy("Regions served"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    mandate_areas = forms.MultipleChoiceField(
        label=gettext_lazy("Mandate areas"), required=False, widget=forms.CheckboxSelectMultiple
    )
    member_states = forms.MultipleChoiceField(
        label=gettext_lazy("Member states"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
        help_text=gettext_lazy(
            "Record member states from an official source only. Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )

    def __init__(self, *args, is_admin: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not is_admin:
            del self.fields["name"]
            del self.fields["kind"]
        self.fields["regions"].choices = [
            (region.code, region.name) for region in Region.objects.order_by("name").only("code", "name")
        ]
        self.thematic_families = {}
        choices = []
        for area in ThematicArea.objects.order_by("family", "position", "code"):
            choices.append((area.code, area.name))
            self.thematic_families[area.code] = area.get_family_display()
        self.fields["mandate_areas"].choices = choices
        self.fields["member_states"].choices = list(countries)

    @staticmethod
    def initial_for(organization: Organization) -> dict:
        return {
            "name": organization.name,
            "kind": organization.kind,
            "description": organization.description,
            "website": organization.website,
            "seat": organization.seat,
            "regions": [region.code for region in organization.regions.all()],
            "mandate_areas": [area.code for area in organization.mandate_areas.all()],
            "member_states": list(organization.member_states),
        }

    def mandate_groups(self) -> list[tuple[str, list]]:
        """The mandate-area checkboxes grouped by family, for the template."""
        groups: dict[str, list] = {}
        for checkbox in self["mandate_areas"]:
            groups.setdefault(self.thematic_families.get(checkbox.data["value"], ""), []).append(checkbox)
        return list(groups.items())


@login_required
@require_http_methods(["GET", "POST"])
def organization_edit_view(request, acronym: str):
    organization = organization_get(actor=request.user, acronym=acronym)
    if not policies.can_edit(request.user, organization):
        raise PermissionDenied(_("Only the organization's focal points and administrators edit its profile."))
    is_admin = policies.viewer_for(request.user).is_admin
    if request.method == "POST":
        form = OrganizationProfileForm(request.POST, is_admin=is_admin)
        if form.is_valid():
            try:
                organization_update(actor=request.user, organization=organization, **form.cleaned_data)
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(
                    request, _("The profile of %(acronym)s was saved.") % {"acronym": organization.acronym}
                )
                return redirect("iros:detail", acronym=organization.acronym)
    else:
        form = OrganizationProfileForm(initial=OrganizationProfileForm.initial_for(organization), is_admin=is_admin)
    return render(request, "iros/organization_form.html", {"organization": organization, "form": form})
