"""FilterSets shared by the HTML lists, the REST API and the exports: no request-specific logic here.

They narrow querysets that already hold only what the viewer may see (`contacts.selectors`).
"""

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Audience, State
from contacts.models import ContactRole, Demarche, PointOfContact, RegionalCoordinator, contact_search_vector
from contacts.selectors import designated_organization_ids
from iros.fields import organization_filter, region_filter
from iros.models import Organization, Region, organization_name_vector
from portal.kernel.fulltext import keyword_filter, weighted_vector
from portal.preferences.lists import ListKind


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))
    organization = organization_filter()
    role = django_filters.ChoiceFilter(choices=ContactRole.choices, label=_("Role"), empty_label=_("Any role"))
    state = django_filters.ChoiceFilter(choices=State.choices, label=_("State"), empty_label=_("Any state"))
    audience = django_filters.ChoiceFilter(choices=Audience.choices, label=_("Audience"), empty_label=_("Any audience"))
    current = django_filters.BooleanFilter(
        field_name="until", lookup_expr="isnull", label=_("Designation still standing")
    )

    class Meta:
        model = PointOfContact
        fields = ["q", "organization", "role", "state", "audience", "current"]

    def filter_q(self, queryset, name, value: str):
        return keyword_filter(queryset, contact_search_vector(), value, tiebreak=("organization__acronym", "-pk"))


class CoordinatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Keywords"))
    host = organization_filter(label=_("Host organization"))
    status = django_filters.ChoiceFilter(
        choices=RegionalCoordinator.Status.choices, label=_("Status"), empty_label=_("Any status")
    )
    region = region_filter(method="filter_region")

    class Meta:
        model = RegionalCoordinator
        fields = ["q", "host", "status", "region"]

    def filter_q(self, queryset, name, value: str):
        return keyword_filter(queryset, weighted_vector(("area", "A"), ("person", "A"), ("title", "B")), value)

    def filter_region(self, queryset, name, value: Region):
        # A subquery keeps one row per coordinator.
        serving = RegionalCoordinator.regions.through.objects.filter(region__in=Region.objects.within(value)).values(
            "regionalcoordinator_id"
        )
        return queryset.filter(pk__in=serving)


class DesignationFilterSet(django_filters.FilterSet):
    """The public designation table: organizations, narrowed by kind, region and whether a role is designated.

    `role` picks the role that `designated` asks about (both roles when empty) and the columns shown.
    """

    q = django_filters.CharFilter(method="filter_q", max_length=200, label=_("Name or acronym"))
    kind = django_filters.ChoiceFilter(choices=Organization.Kind.choices, label=_("Kind"), empty_label=_("Any kind"))
    region = region_filter(method="filter_region", label=_("Region served"))
    role = django_filters.ChoiceFilter(
        choices=((ContactRole.ASSISTANCE, _("Assistance")), (ContactRole.IMPLEMENTATION, _("Implementation"))),
        method="filter_role",
        label=_("Role"),
        empty_label=_("Both roles"),
    )
    designated = django_filters.ChoiceFilter(
        choices=(("yes", _("Designated")), ("no", _("Not designated"))),
        method="filter_designated",
        label=_("Designation"),
        empty_label=_("Either"),
    )

    class Meta:
        model = Organization
        fields = ["q", "kind", "region", "role", "designated"]

    def filter_q(self, queryset, name, value: str):
        return keyword_filter(queryset, organization_name_vector(), value, prefix_of="acronym", tiebreak=("acronym",))

    def filter_region(self, queryset, name, value: Region):
        if value is None:
            return queryset
        return queryset.filter(pk__in=Region.objects.within(value).serving_organization_ids())

    def filter_role(self, queryset, name, value: str):
        # The role narrows `designated` and the columns; alone it keeps every organization.
        return queryset

    def filter_designated(self, queryset, name, value: str):

        if value not in ("yes", "no"):
            return queryset
        role = self.form.cleaned_data.get("role")
        roles = [role] if role else list(ContactRole.values)
        if value == "yes":
            for each in roles:
                queryset = queryset.filter(pk__in=designated_organization_ids(role=each))
            return queryset
        missing = Q(pk__in=[])
        for each in roles:
            missing |= ~Q(pk__in=designated_organization_ids(role=each))
        return queryset.filter(missing)


class DemarcheFilterSet(django_filters.FilterSet):
    """`organizations`, when given, are the organizations the filter offers (those whose demarches the viewer
    reads, `contacts.selectors.demarche_organizations_for`): any other one asked for narrows to nothing, as the
    viewer may see none of its demarches. The API offers every organization and answers with an empty list."""

    organization = organization_filter()
    request = django_filters.ChoiceFilter(
        choices=Demarche.Request.choices, label=_("Request"), empty_label=_("Any request")
    )
    status = django_filters.ChoiceFilter(
        choices=(("open", _("Awaiting an answer")), ("answered", _("Answered"))),
        method="filter_status",
        label=_("Status"),
        empty_label=_("Any status"),
    )
    overdue = django_filters.ChoiceFilter(
        choices=(("yes", _("Follow-up overdue")),),
        method="filter_overdue",
        label=_("Follow-up"),
        empty_label=_("Any follow-up"),
    )

    class Meta:
        model = Demarche
        fields = ["organization", "request", "status", "overdue"]

    def __init__(self, *args, organizations: QuerySet[Organization] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:
            self.filters["organization"].queryset = organizations

    def filter_queryset(self, queryset):
        if self.is_bound and "organization" in self.form.errors:
            return queryset.none()
        return super().filter_queryset(queryset)

    def filter_status(self, queryset, name, value: str):
        if value == "open":
            return queryset.filter(answered_on__isnull=True)
        if value == "answered":
            return queryset.filter(answered_on__isnull=False)
        return queryset

    def filter_overdue(self, queryset, name, value: str):
        if value != "yes":
            return queryset
        return queryset.filter(Demarche.overdue_condition(timezone.localdate()))


# The points-of-contact page's saved filters (portal.preferences): its two tables page separately.
CONTACT_LIST = ListKind(key="contacts", url_name="contacts:list", not_filters=("page", "records_page"))
