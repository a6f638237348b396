"""Organizations (IROs), reference codes, memberships, agreements, the Committee's interactions and events."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from portal.kernel.collation import alphabetical_key
from portal.kernel.fulltext import weighted_vector

ACRONYM_PATTERN = r"^[A-Z0-9-]+$"
acronym_validator = RegexValidator(ACRONYM_PATTERN, _("Use capital letters, digits and hyphens only."))


class DatePrecision(models.TextChoices):
    """How much of a date is known: the seed gives some only to the month ("November 2009")."""

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


# Field rules live in each model's `clean()` (forms and serializers call it; the database constraints are the
# guard), so the messages are written here once.
END_BEFORE_START = _("The end date cannot be before the start date.")


def date_order_errors(record: models.Model, start: str, ends: dict[str, str]) -> dict[str, str]:
    """Field-keyed errors for the dates named in `ends` that fall before the `start` date, each with its message.

    An empty date is in order, as the database constraints say. A value `clean_fields` refused is not a date
    yet: its own error stands alone.
    """
    first = getattr(record, start)
    if not isinstance(first, date):
        return {}
    return {
        name: message
        for name, message in ends.items()
        if isinstance(getattr(record, name), date) and getattr(record, name) < first
    }


def format_partial_date(value, precision: str) -> str:
    """`value` as far as it is known, in the active language's own formats: a day as DATE_FORMAT ("15 mars 2024",
    "15 марта 2024 г."), a month as YEAR_MONTH_FORMAT ("septembre 2012", "2012年9月"), a year alone."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return date_format(value, "Y")
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


# --- reference rows named in every language ---------------------------------------------------------------
# Thematic areas and regions are rows an administrator may add, so their names cannot live in the catalogues
# (which translate only strings written in the code). Each row keeps its English `name` (the source, as for the
# catalogues) and its other names in one JSON column, `name_translations` = {"fr": "…", "ru": "…"}: read with
# the row itself (no join, no query per row), edited in the admin, seeded from `iros.reference_data`
# (docs/i18n.md, "Reference data").

# Every language of the portal but English, the source language.
TRANSLATED_LANGUAGES: tuple[str, ...] = tuple(
    code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
)


@deconstructible
class NameTranslationsValidator:
    """A JSON object of texts keyed by the codes of `TRANSLATED_LANGUAGES`: one name per language, none blank,
    none longer than `max_length`."""

    def __init__(self, max_length: int):
        self.max_length = max_length

    def __call__(self, value) -> None:
        if not isinstance(value, dict):
            raise ValidationError(_("Give the names as an object keyed by language code."), code="invalid")
        unknown = sorted(str(code) for code in value if code not in TRANSLATED_LANGUAGES)
        if unknown:
            raise ValidationError(
                _("Unknown language codes: %(codes)s. Use %(allowed)s."),
                code="invalid_language",
                params={"codes": ", ".join(unknown), "allowed": ", ".join(TRANSLATED_LANGUAGES)},
            )
        for code, text in value.items():
            if not isinstance(text, str) or not text.strip():
                raise ValidationError(
                    _("The name in “%(code)s” must be a text; leave a language out rather than blank."),
                    code="invalid_name",
                    params={"code": code},
                )
            if len(text) > self.max_length:
                raise ValidationError(
                    _("The name in “%(code)s” has more than %(max)d characters."),
                    code="max_length",
                    params={"code": code, "max": self.max_length},
                )

    def __eq__(self, other) -> bool:
        return isinstance(other, NameTranslationsValidator) and other.max_length == self.max_length


class JSONWithoutKeys(models.Func):
    """PostgreSQL's `jsonb - text[]`: the object without the given keys."""

    arg_joiner = " - "
    template = "(%(expressions)s)"
    output_field = models.JSONField()


def name_translations_constraint(table: str) -> models.CheckConstraint:
    """The database's guard for `NameTranslationsValidator`: no key but the translated languages' codes."""
    return models.CheckConstraint(
        condition=Exact(
            JSONWithoutKeys(
                F("name_translations"),
                models.Value(list(TRANSLATED_LANGUAGES), output_field=ArrayField(models.TextField())),
            ),
            models.Value({}, output_field=models.JSONField()),
        ),
        name=f"{table}_name_translations_languages",
    )


class TranslatedName(models.Model):
    """A reference row named in every language: `name` in English, the others in `name_translations`."""

    name_translations = models.JSONField(
        _("name in other languages"),
        default=dict,
        blank=True,
        validators=[NameTranslationsValidator(max_length=200)],
        help_text=_("Language code → name. A language left out shows the English name."),
    )

    class Meta:
        abstract = True

    @property
    def localized_name(self) -> str:
        """The name in the active language, else the English `name`."""
        return self.name_in(get_language())

    def name_in(self, language: str | None) -> str:
        translations = self.name_translations if isinstance(self.name_translations, dict) else {}
        return translations.get((language or "").lower()) or self.name

    @property
    def names(self) -> dict[str, str]:
        """The name in every language that has one, English first."""
        return {settings.LANGUAGE_CODE: self.name, **self.name_translations}

    @classmethod
    def in_alphabetical_order(cls, rows):
        """`rows` sorted by their name in the active language (reference lists are a few dozen rows)."""
        return sorted(rows, key=lambda row: alphabetical_key(row.localized_name))


class ThematicAreaQuerySet(models.QuerySet):
    def in_reference_order(self) -> ThematicAreaQuerySet:
        """The one order of thematic areas, wherever they are offered or shown: their families in the order the
        reference codes list them (weapon categories, resolution areas, assistance types — `Family`'s order, not
        the alphabetical order of its values), then each family's own order. Also the model's default ordering,
        so that a relation's rows read from its link table (the API's lists) come in the same order."""
        return self.order_by(*REFERENCE_ORDER)


REFERENCE_ORDER = ("family_rank", "position", "code")


class ThematicAreaManager(models.Manager.from_queryset(ThematicAreaQuerySet)):
    """Every read in reference order (`Meta.ordering`): forms, list filters, a program's badges and the API list
    the areas alike."""


class ThematicArea(TranslatedName):
    class Family(models.TextChoices):
        WEAPON = "weapon", _("Weapon category")
        RESOLUTION = "resolution", _("Resolution area")
        ASSISTANCE = "assistance", _("Assistance type")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    family = models.CharField(_("family"), max_length=16, choices=Family.choices)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The family's place in `Family`'s order, stored so that every ordering — this model's and that of another
    # model's relation to it, which can only name columns — ranks families alike.
    family_rank = models.GeneratedField(
        expression=models.Case(
            *(models.When(family=family, then=models.Value(rank)) for rank, family in enumerate(Family.values)),
            default=models.Value(len(Family.values)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = ThematicAreaManager()

    class Meta:
        ordering = list(REFERENCE_ORDER)
        verbose_name = _("thematic area")
        verbose_name_plural = _("thematic areas")
        constraints = [name_translations_constraint("thematic_area")]

    def __str__(self) -> str:
        return self.localized_name


class RegionQuerySet(models.QuerySet):
    """The one definition of "a region and everything inside it".

    M49 nests World → continent → sub-region → intermediate region (World → Africa → Sub-Saharan Africa →
    Eastern Africa), so a walk of a fixed number of `parent__` steps misses regions as soon as one level is
    forgotten. Descent is one recursive query in the database instead: a filter stays a single SQL query (no
    tree to load first, nothing cached to go stale when an administrator edits a region), and the tree is a few
    dozen rows, so the recursion costs nothing next to the query it narrows.
    """

    def within(self, region: Region) -> RegionQuerySet:
        """`region` and every region inside it, at any depth."""
        return self.filter(pk__in=RegionSubtree(models.Value(region.pk)))

    def serving_organization_ids(self) -> models.QuerySet:
        """Ids of the organizations serving one of these regions, as a subquery (one row per organization in a
        filtered list: no DISTINCT). `Region.objects.within(region).serving_organization_ids()` is the filter
        "serves this region or a region inside it"."""
        return Organization.regions.through.objects.filter(region__in=self).values("organization_id")

    def with_subtree_ids(self) -> RegionQuerySet:
        """Each region with `subtree_ids`: its own id and those of every region inside it (what `within` gives)."""
        return self.annotate(
            subtree_ids=models.Func(
                RegionSubtree(F("pk")), template="ARRAY%(expressions)s", output_field=ArrayField(models.IntegerField())
            )
        )


class Region(TranslatedName):
    """A UN M49 region; `parent` is the region it lies within."""

    code = models.CharField(
        _("M49 code"), max_length=3, unique=True, validators=[RegexValidator(r"^\d{3}$", _("Three digits."))]
    )
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("within")
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^\d{3}$"), name="region_code_m49"),
            name_translations_constraint("region"),
        ]

    def __str__(self) -> str:
        return f"{self.localized_name} ({self.code})"


class RegionSubtree(models.Func):
    """The ids of a region (any integer expression: a value, or `F("pk")` of the outer row) and of every region
    inside it, as a subquery. UNION rather than UNION ALL, so a cycle entered by hand ends instead of looping."""

    template = (
        "(WITH RECURSIVE subtree(id) AS ("
        "SELECT top.id FROM iros_region top WHERE top.id = %(expressions)s "
        "UNION SELECT inside.id FROM iros_region inside JOIN subtree ON inside.parent_id = subtree.id"
        ") SELECT id FROM subtree)"
    )
    output_field = models.IntegerField()


# What the search box and each list's keyword filter match, per kind of record (portal.kernel.fulltext).
def organization_search_vector():
    return weighted_vector(("acronym", "A"), ("name", "A"), ("description", "B"), ("seat", "C"))


def organization_name_vector(prefix: str = ""):
    """The acronym and the name alone (a program or a contact is also found by its owner's name)."""
    return weighted_vector((f"{prefix}acronym", "A"), (f"{prefix}name", "A"))


def interaction_search_vector():
    return weighted_vector(("summary", "A"), ("outcome", "B"), ("follow_up", "C"))


def event_search_vector():
    return weighted_vector(("title", "A"), ("theme", "B"), ("place", "C"), ("organizer", "C"), ("description", "C"))


class Organization(models.Model):
    class Kind(models.TextChoices):
        INTERNATIONAL = "international", _("International organization")
        REGIONAL = "regional", _("Regional organization")
        SUBREGIONAL = "subregional", _("Sub-regional organization")
        ARRANGEMENT = "arrangement", _("Arrangement or initiative")
        UN_ENTITY = "un_entity", _("UN entity")

    acronym = models.CharField(_("acronym"), max_length=32, unique=True, validators=[acronym_validator])
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    regions = models.ManyToManyField(Region, blank=True, related_name="organizations", verbose_name=_("regions served"))
    seat = models.CharField(_("seat"), max_length=200, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    member_states = ArrayField(
        models.CharField(max_length=2),
        default=list,
        blank=True,
        verbose_name=_("member states"),
        help_text=_("ISO 3166-1 alpha-2 codes; fill only from a source."),
    )
    mandate_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="organizations", verbose_name=_("mandate areas")
    )
    # The auth Group whose object permissions index what this organization's members may see.
    group = models.OneToOneField(
        "auth.Group", on_delete=models.PROTECT, null=True, blank=True, editable=False, related_name="organization"
    )

    class Meta:
        ordering = ["acronym"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(condition=Q(acronym__regex=ACRONYM_PATTERN), name="organization_acronym_format"),
        ]
        indexes = [models.Index(fields=["kind", "acronym"], name="organization_kind_idx")]

    def __str__(self) -> str:
        return self.acronym


class Membership(models.Model):
    """A user's organization: at most one per user, enforced by the one-to-one key."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organization")
    )
    joined = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        ordering = ["organization__acronym", "user__username"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        EXCHANGE_OF_LETTERS = "exchange_of_letters", _("Exchange of letters")
        OTHER = "other", _("Other arrangement")

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    parties = models.ManyToManyField(Organization, related_name="agreements", verbose_name=_("parties"))
    committee_is_party = models.BooleanField(_("the Committee is a party"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    signed_on_precision = models.CharField(
        _("precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        ordering = ["-signed_on", "title"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self) -> str:
        return self.title

    @property
    def signed_on_display(self) -> str:
        return format_partial_date(self.signed_on, self.signed_on_precision)


class Event(models.Model):
    """An outreach event; participants are recorded only where known."""

    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    organizer = models.CharField(_("organizer"), max_length=200, blank=True)
    theme = models.CharField(_("theme"), max_length=300, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="events", verbose_name=_("region")
    )
    thematic_areas = models.ManyToManyField(ThematicArea, blank=True, related_name="events")
    participants = models.ManyToManyField(
        Organization, blank=True, related_name="events", verbose_name=_("participating organizations")
    )
    attendance_count = models.PositiveIntegerField(
        _("organizations attending"), null=True, blank=True, help_text=_("When known, even if they are not named.")
    )
    description = models.TextField(_("description"), blank=True)
    # The Committee's own identifier of the event (from its spreadsheets): what an import matches rows on, so that
    # importing the same file twice changes nothing. Unique when given.
    external_key = models.CharField(_("key"), max_length=100, blank=True)

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")), name="event_end_after_start"
            ),
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~Q(external_key=""),
                name="event_external_key_unique",
                violation_error_message=_("Another event already has this key."),
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d})"

    def clean(self):
        if errors := date_order_errors(self, "start_date", {"end_date": END_BEFORE_START}):
            raise ValidationError(errors)

    def check_attendance(self, named: int) -> None:
        """The organizations attending count every one that took part, named as a participant or not, so they
        are never fewer than the `named` participants (an event that "2 attended" with 3 named reads as an
        error). Left empty, the pages count those named. The participants are a relation, not a field, so the
        form and the service ask this beside `clean()`."""
        if self.attendance_count is not None and self.attendance_count < named:
            message = ngettext(
                "Fewer than the %(named)d organization named as participating: count every organization "
                "that attended, named or not, or leave this empty.",
                "Fewer than the %(named)d organizations named as participating: count every organization "
                "that attended, named or not, or leave this empty.",
                named,
            ) % {"named": named}
            raise ValidationError({"attendance_count": ValidationError(message, code="attendance_below_participants")})


class Interaction(models.Model):
    """A row of the Committee's "IGO tables": one interaction with one or more IROs."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("Briefing to the Committee or a working group")
        JOINT_ACTIVITY = "joint_activity", _("Joint activity")
        OUTREACH = "outreach", _("Participation in an outreach event")
        EXCHANGE_OF_LETTERS = "exchange_of_letters", _("Exchange of letters")
        MOU = "mou", _("Memorandum of understanding")
        MEETING = "meeting", _("Meeting")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        ASSISTANCE_REFERRAL = "assistance_referral", _("Assistance referral")

    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("precision"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    organizations = models.ManyToManyField(
        Organization, related_name="interactions", verbose_name=_("organizations involved")
    )
    summary = models.TextField(_("summary"))
    outcome = models.TextField(_("outcome"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="interactions", verbose_name=_("event")
    )
    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("program"),
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interactions",
        verbose_name=_("agreement"),
    )
    public = models.BooleanField(_("public"), default=False, help_text=_("Visible to everyone, signed in or not."))
    # The Committee's own identifier of the interaction (a row of its spreadsheets): what an import matches rows
    # on, so that importing the same file twice changes nothing. Unique when given.
    external_key = models.CharField(_("key"), max_length=100, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["kind", "-date"], name="interaction_kind_date_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_due__isnull=True) | Q(follow_up_due__gte=F("date")),
                name="interaction_follow_up_after_date",
            ),
            models.UniqueConstraint(
                fields=["external_key"],
                condition=~Q(external_key=""),
                name="interaction_external_key_unique",
                violation_error_message=_("Another interaction already has this key."),
                violation_error_code="unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {format_partial_date(self.date, self.date_precision)}"

    def get_absolute_url(self) -> str:
        return reverse("igo:interaction_detail", args=[self.pk])

    def clean(self):
        if errors := date_order_errors(
            self, "date", {"follow_up_due": _("The follow-up cannot be due before the interaction.")}
        ):
            raise ValidationError(errors)

    @property
    def date_display(self) -> str:
        return format_partial_date(self.date, self.date_precision)
