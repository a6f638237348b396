"""A submission's state and audience as the small badges lists and pages show: one definition, used by the
templates (`{% load sharing %}`) and by tables rendered in Python (the program list's 50 rows)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from confidentiality.models import Audience, State

STATE_CLASSES = {State.DRAFT: "badge-status-proposed", State.SUBMITTED: "badge-status-appointed"}
STATE_LABELS = dict(State.choices)
# The audience's short label on the badge; its full label is the badge's title.
AUDIENCE_BADGES = {
    Audience.PUBLIC: ("badge-kind-regional", _("Public")),
    Audience.ALL_IROS: ("badge-kind-international", _("All IROs")),
    Audience.SELECTED: ("badge-kind-arrangement", _("Selected IROs")),
    Audience.COMMITTEE: ("badge-muted", _("Committee")),
}
AUDIENCE_LABELS = dict(Audience.choices)


def state_badge(record) -> SafeString:
    return format_html(
        '<span class="badge-soft {}">{}</span>',
        STATE_CLASSES.get(record.state, STATE_CLASSES[State.SUBMITTED]),
        STATE_LABELS.get(record.state, record.state),
    )


def audience_badge(record) -> SafeString:
    css, short = AUDIENCE_BADGES.get(record.audience, AUDIENCE_BADGES[Audience.COMMITTEE])
    return format_html(
        '<span class="badge-soft {}" title="{}">{}</span>', css, AUDIENCE_LABELS.get(record.audience, ""), short
    )
