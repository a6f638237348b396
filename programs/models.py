"""IRO programs and activities (IATI-like fields plus 1540 tags), their partners and documents."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from confidentiality.models import GrantBase, Submission
from iros.models import (
    END_BEFORE_START,
    Organization,
    Region,
    ThematicArea,
    date_order_errors,
    organization_name_vector,
)
from portal.kernel.fulltext import weighted_vector

BUDGET_WITHOUT_CURRENCY = _("Give the currency of the budget.")
EXTERNAL_KEY_TAKEN = _("Another program of this organization already has this key.")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)
    slug = models.SlugField(_("slug"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self) -> str:
        return self.name


def program_search_vector():
    """Title (weight A) and summary (weight B) as one English text-search vector.

    Stored in each row as `Program.search_document` (a generated column, indexed by `program_search_idx`): the
    search matches on it through the index and ranks with it, instead of parsing title and summary again for
    every matching row (at 100,000 programs a broad query re-parsed them all: seconds instead of milliseconds).
    """

    return weighted_vector(("title", "A"), ("summary", "B"))


def program_search_document():
    """The stored vector of `program_search_vector`, for matching and ranking."""
    return F("search_document")


def program_ids_matching(query: SearchQuery) -> models.QuerySet:
    """Ids of programs whose title or summary match (through the GIN index) or whose owner's name does.

    A UNION of two index-driven branches, so neither an OR nor a per-row vector defeats the indexes.
    """
    # No ordering inside the branches: the models' default one would make PostgreSQL walk the `updated` index
    # through every program instead of reading the matches from the text index.
    by_text = Program.objects.filter(search_document=query).order_by().values("pk")
    owners = Organization.objects.annotate(document=organization_name_vector()).filter(document=query).values("pk")
    by_owner = Program.objects.filter(organization__in=owners.order_by()).order_by().values("pk")
    return by_text.union(by_owner, all=True)  # a semi-join needs no duplicates removed first


class ProgramManager(models.Manager):
    """Programs without their stored search vector: only the search reads it (in SQL), so rows loaded as
    objects leave it in the database (an export of 100,000 programs would carry megabytes of it)."""

    def get_queryset(self):
        return super().get_queryset().defer("search_document")


# Programs' versions. The services write one version per edit, once its codes are set
# (`programs.services.one_history_version`): a save and each set of codes would otherwise write one each.
PROGRAM_HISTORY = HistoricalRecords(
    excluded_fields=["state", "audience", "updated", "search_document"],
    m2m_fields=["thematic_areas", "regions", "tags"],
)


class Program(Submission):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        ONGOING = "ongoing", _("Ongoing")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PLANNED)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, validators=[RegexValidator(r"^[A-Z]{3}$", _("ISO 4217 code."))]
    )
    assistance_on_request = models.BooleanField(_("assistance available on request"), default=False)
    website = models.URLField(_("website"), blank=True)
    # The organization's own identifier of the program (from its own system): what a spreadsheet import matches
    # rows on, so that importing the same file twice changes nothing. Unique within the organization when given.
    external_key = models.CharField(_("key"), max_length=100, blank=True)
    thematic_areas = models.ManyToManyField(
        ThematicArea, blank=True, related_name="programs", verbose_name=_("thematic areas")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="programs", verbose_name=_("regions"))
    beneficiary_countries = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("beneficiary countries")
    )
    funding_states = ArrayField(
        models.CharField(max_length=2), default=list, blank=True, verbose_name=_("funding states")
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="programs", verbose_name=_("tags"))
    partners = models.ManyToManyField(
        Organization, through="ProgramPartner", related_name="partner_programs", verbose_name=_("partners")
    )
    search_document = models.GeneratedField(
        expression=program_search_vector(), output_field=SearchVectorField(), db_persist=True, editable=False
    )
    # State and audience live in the sharing audit; the history records the content, the codes the program is
    # filed under included (thematic areas, regions, tags), so a change of them reads as "added … removed …".
    history = PROGRAM_HISTORY

    objects = ProgramManager()

    class Meta:
        ordering = ["-updated", "-id"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [
            models.Index(fields=["-updated", "-id"], name="program_updated_idx"),
            # The dashboard's latest submissions (newest first, LIMIT 8) without sorting every visible program.
            models.Index(fields=["-created", "-id"], name="program_created_idx"),
            models.Index(fields=["organization", "-updated"], name="program_org_updated_idx"),
            models.Index(fields=["state", "-updated"], name="program_state_updated_idx"),
            # The Committee's aggregates (dashboard, cooperation map) see `state = 'submitted'`: the ids, owners and
            # creation dates they read come from this index alone (an index-only scan, a fifth of a scan of the
            # table at 100,000 programs). The list's ordering keeps using the one above.
            models.Index(fields=["state", "created"], include=["id", "organization"], name="program_state_created_idx"),
            models.Index(fields=["status"], name="program_status_idx"),
            GinIndex(fields=["beneficiary_countries"], name="program_countries_gin"),
            GinIndex(fields=["search_document"], name="program_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="program_end_after_start",
                violation_error_message=END_BEFORE_START,
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="program_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""),
                name="program_budget_has_currency",
                violation_error_message=BUDGET_WITHOUT_CURRENCY,
            ),
            models.UniqueConstraint(
                fields=["organization", "external_key"],
                condition=~Q(external_key=""),
                name="program_external_key_unique",
                violation_error_message=EXTERNAL_KEY_TAKEN,
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.pk])

    def clean(self):
        errors = date_order_errors(self, "start_date", {"end_date": END_BEFORE_START})
        if self.budget is not None and not self.currency:
            errors["currency"] = BUDGET_WITHOUT_CURRENCY
        if errors:
            raise ValidationError(errors)


class ProgramGrant(GrantBase):
    content_object = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="grants")

    class Meta(GrantBase.Meta):
        verbose_name = _("program grant")
        verbose_name_plural = _("program grants")


class ProgramPartner(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        PARTNER = "partner", _("Partner")
        FUNDER = "funder", _("Funder")
        IMPLEMENTER = "implementer", _("Implementer")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="partnerships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="partnerships")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        ordering = ["program", "role", "organization__acronym"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(fields=["program", "organization", "role"], name="program_partner_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.get_role_display()})"


def document_upload_to(instance: "Document", filename: str) -> str:
    # The stored name never carries the uploader's file name: it is kept in `filename` for download only.

    return f"programs/{instance.program_id}/{uuid.uuid4().hex}"


class Document(models.Model):
    """A file attached to a program. It inherits the program's audience and is served only through a checked view."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="documents", verbose_name=_("program"))
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["program", "-uploaded_at"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title
