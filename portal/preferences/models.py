"""What a person keeps of the lists they work with: the columns and page size they chose, and named filters.

Both are rows of one user (`owner`); a saved filter may be shared with the owner's organization. Neither holds a
record: a filter is a query string that the list reads again, through the visibility policy, for whoever applies
it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

QUERY_MAX_LENGTH = 2000


class ListPreference(models.Model):
    """How a user last set up one list (`list_key`): the query-string values it remembers, e.g.
    `{"columns": "title,status", "per_page": "50"}`, applied when the list opens without them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="list_preferences", verbose_name=_("user")
    )
    list_key = models.CharField(_("list"), max_length=40)
    values = models.JSONField(_("values"), default=dict)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("list preference")
        verbose_name_plural = _("list preferences")
        constraints = [models.UniqueConstraint(fields=["user", "list_key"], name="list_preference_once_per_list")]

    def __str__(self) -> str:
        return f"{self.user} · {self.list_key}"


class SavedFilter(models.Model):
    """A named filter of one list: its query string (without the page). Private to its owner unless `shared`,
    then also seen by the members of the owner's organization."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters", verbose_name=_("owner")
    )
    list_key = models.CharField(_("list"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("filter"), max_length=QUERY_MAX_LENGTH, blank=True)
    shared = models.BooleanField(
        _("shared with my organization"),
        default=False,
        help_text=_("Members of your organization see it too; only you may delete it."),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("saved filter")
        verbose_name_plural = _("saved filters")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_key", "name"],
                name="saved_filter_name_once_per_list",
                violation_error_message=_("You already have a filter of this name on this list."),
            )
        ]

    def __str__(self) -> str:
        return self.name
