"""The accounts FilterSet: one for the accounts page and the users API. It narrows a queryset that already holds
only the accounts the viewer may see (`portal.accounts.selectors.user_list_for`)."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iros.fields import organization_filter
from portal.accounts.models import Invitation, Role, User

# "Last sign-in" choices: within N days, not within 90 days (or never), never.
SIGNED_IN_WITHIN = {"7": 7, "30": 30, "90": 90}


def _yes_no(any_label, yes_label, no_label) -> forms.Select:
    # Values as the API has always taken them (`?is_active=true`), labels as people read them.
    return forms.Select(choices=[("", any_label), ("true", yes_label), ("false", no_label)])


class UserFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Name, username or e-mail"))
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("Any role"))
    organization = organization_filter(field_name="membership__organization")
    is_active = django_filters.BooleanFilter(
        label=_("Status"), widget=_yes_no(_("Active or not"), _("Active"), _("Deactivated"))
    )
    last_sign_in = django_filters.ChoiceFilter(
        method="filter_last_sign_in",
        label=_("Last sign-in"),
        empty_label=_("Any time"),
        choices=[
            ("7", _("In the last 7 days")),
            ("30", _("In the last 30 days")),
            ("90", _("In the last 90 days")),
            ("dormant", _("Not in 90 days, or never")),
            ("never", _("Never")),
        ],
    )
    # `two_factor_enabled` is annotated by the list's selector (accounts.selectors.users_with_two_factor_enabled).
    two_factor = django_filters.BooleanFilter(
        field_name="two_factor_enabled",
        label=_("Two-factor sign-in"),
        widget=_yes_no(_("On or off"), _("On"), _("Off")),
    )

    class Meta:
        model = User
        fields = ["q", "role", "organization", "is_active", "last_sign_in", "two_factor"]

    def filter_q(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_last_sign_in(self, queryset, name, value: str):
        now = timezone.now()
        if value == "never":
            return queryset.filter(last_login__isnull=True)
        if value == "dormant":
            return queryset.filter(Q(last_login__isnull=True) | Q(last_login__lt=now - timedelta(days=90)))
        return queryset.filter(last_login__gte=now - timedelta(days=SIGNED_IN_WITHIN[value]))


class InvitationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="email", lookup_expr="icontains", max_length=200, label=_("E-mail"))
    status = django_filters.ChoiceFilter(
        choices=Invitation.Status.choices, method="filter_status", label=_("Status"), empty_label=_("Any status")
    )
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("Role"), empty_label=_("Any role"))
    organization = organization_filter()

    class Meta:
        model = Invitation
        fields = ["q", "status", "role", "organization"]

    def filter_status(self, queryset, name, value: str):
        return queryset.filter(Invitation.status_condition(value))
