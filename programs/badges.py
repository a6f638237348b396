"""A program's status as a badge: one definition for the templates (`{% load program_tags %}`) and the list's table."""

from django.utils.html import format_html
from django.utils.safestring import SafeString

from programs.models import Program

STATUS_CLASSES = {
    Program.Status.PLANNED: "badge-kind-international",
    Program.Status.ONGOING: "badge-status-appointed",
    Program.Status.COMPLETED: "badge-status-discussed",
}
STATUS_LABELS = dict(Program.Status.choices)


def status_badge(program) -> SafeString:
    return format_html(
        '<span class="badge-soft {}">{}</span>',
        STATUS_CLASSES.get(program.status, "badge-status-ended"),
        STATUS_LABELS.get(program.status, program.status),
    )
