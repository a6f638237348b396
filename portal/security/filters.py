"""The security log's filters, shared by its page and its exports. They narrow rows the policy let through."""

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.kernel.forms import DateInput
from portal.security.models import SecurityEvent


class SecurityEventFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SecurityEvent.Kind.choices, label=_("Event"), empty_label=_("Any event"))
    username = django_filters.CharFilter(lookup_expr="icontains", max_length=150, label=_("Username contains"))
    since = django_filters.DateFilter(field_name="at", lookup_expr="date__gte", label=_("From"), widget=DateInput())
    until = django_filters.DateFilter(field_name="at", lookup_expr="date__lte", label=_("To"), widget=DateInput())

    class Meta:
        model = SecurityEvent
        fields = ["kind", "username", "since", "until"]
