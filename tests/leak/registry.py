"""Every URL the portal serves, declared either as part of the leak matrix or as public with a reason.

`tests/test_url_coverage.py` fails when a route is in neither: a new page or API route must join the matrix
(or say why it shows no confidential record) in the same change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class ListPage:
    """A page or endpoint that may show many records: no hidden canary may ever appear in it."""

    url: Callable  # world -> url
    api: bool = False
    counts_kind: str | None = None  # an API list whose `count` must equal the oracle for this kind


@dataclass(frozen=True)
class RecordPage:
    """A page or endpoint about one record: a hidden record must answer exactly like a missing one."""

    kind: str
    url: Callable  # record object (or a stand-in with a missing pk) -> url
    api: bool = False
    shows_record: bool = False  # GET by a persona who may see the record answers 200
    methods: tuple[str, ...] = ("get", "post")


def _api(name: str, **kwargs) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


LIST_PAGES: dict[str, ListPage] = {
    "dashboard:home": ListPage(lambda w: reverse("dashboard:home")),
    "programs:list": ListPage(lambda w: reverse("programs:list")),
    "programs:export_csv": ListPage(lambda w: reverse("programs:export_csv")),
    "programs:export_xlsx": ListPage(lambda w: reverse("programs:export_xlsx")),
    "programs:import": ListPage(lambda w: reverse("programs:import")),
    "programs:import_history": ListPage(lambda w: reverse("programs:import_history")),
    "contacts:import": ListPage(lambda w: reverse("contacts:import")),
    "contacts:import_history": ListPage(lambda w: reverse("contacts:import_history")),
    "igo:interactions_import": ListPage(lambda w: reverse("igo:interactions_import")),
    "igo:interactions_import_history": ListPage(lambda w: reverse("igo:interactions_import_history")),
    "igo:events_import": ListPage(lambda w: reverse("igo:events_import")),
    "igo:events_import_history": ListPage(lambda w: reverse("igo:events_import_history")),
    "search:results": ListPage(lambda w: reverse("search:results") + "?q=Leakcanary*"),
    "contacts:list": ListPage(lambda w: reverse("contacts:list")),
    "contacts:demarches": ListPage(lambda w: reverse("contacts:demarches")),
    "iros:detail": ListPage(lambda w: reverse("iros:detail", kwargs={"acronym": w.orgs["owner"].acronym})),
    "igo:tables": ListPage(lambda w: reverse("igo:tables")),
    "igo:organization": ListPage(lambda w: reverse("igo:organization", kwargs={"acronym": w.orgs["owner"].acronym})),
    "igo:interactions": ListPage(lambda w: reverse("igo:interactions")),
    "igo:export_csv": ListPage(lambda w: reverse("igo:export_csv")),
    "igo:export_xlsx": ListPage(lambda w: reverse("igo:export_xlsx")),
    "igo:interactions_export_csv": ListPage(lambda w: reverse("igo:interactions_export_csv")),
    "igo:interactions_export_xlsx": ListPage(lambda w: reverse("igo:interactions_export_xlsx")),
    "cooperation:map": ListPage(lambda w: reverse("cooperation:map")),
    "security:log": ListPage(lambda w: reverse("security:log")),
    "security:log_export_csv": ListPage(lambda w: reverse("security:log_export_csv")),
    "security:log_export_xlsx": ListPage(lambda w: reverse("security:log_export_xlsx")),
    "security:lockouts": ListPage(lambda w: reverse("security:lockouts")),
    "api:programs-list": ListPage(lambda w: _api("programs-list"), api=True, counts_kind="program"),
    "api:contacts-list": ListPage(lambda w: _api("contacts-list"), api=True, counts_kind="contact"),
    "api:documents-list": ListPage(lambda w: _api("documents-list"), api=True, counts_kind="document"),
    "api:interactions-list": ListPage(lambda w: _api("interactions-list"), api=True, counts_kind="interaction"),
    "api:demarches-list": ListPage(lambda w: _api("demarches-list"), api=True, counts_kind="demarche"),
    "api:agreements-list": ListPage(lambda w: _api("agreements-list"), api=True, counts_kind="agreement"),
    "api:notifications-list": ListPage(lambda w: _api("notifications-list"), api=True),
    # Every persona was notified of every record (tests/leak/world.py): hidden ones must name nothing.
    "notifications:inbox": ListPage(lambda w: reverse("notifications:inbox")),
    "api:organizations-detail": ListPage(
        lambda w: _api("organizations-detail", acronym=w.orgs["owner"].acronym), api=True
    ),
    "api:organizations-list": ListPage(lambda w: _api("organizations-list"), api=True),
}

RECORD_PAGES: dict[str, RecordPage] = {
    "programs:detail": RecordPage("program", lambda r: reverse("programs:detail", args=[r.pk]), shows_record=True),
    "programs:edit": RecordPage("program", lambda r: reverse("programs:edit", args=[r.pk])),
    "programs:submit": RecordPage("program", lambda r: reverse("programs:submit", args=[r.pk])),
    "programs:withdraw": RecordPage("program", lambda r: reverse("programs:withdraw", args=[r.pk])),
    "programs:delete": RecordPage("program", lambda r: reverse("programs:delete", args=[r.pk])),
    "programs:document_create": RecordPage("program", lambda r: reverse("programs:document_create", args=[r.pk])),
    "programs:document_download": RecordPage(
        "document", lambda r: reverse("programs:document_download", args=[r.pk]), shows_record=True
    ),
    "programs:document_delete": RecordPage("document", lambda r: reverse("programs:document_delete", args=[r.pk])),
    "contacts:detail": RecordPage("contact", lambda r: reverse("contacts:detail", args=[r.pk]), shows_record=True),
    "contacts:edit": RecordPage("contact", lambda r: reverse("contacts:edit", args=[r.pk])),
    "contacts:submit": RecordPage("contact", lambda r: reverse("contacts:submit", args=[r.pk])),
    "contacts:withdraw": RecordPage("contact", lambda r: reverse("contacts:withdraw", args=[r.pk])),
    "contacts:end": RecordPage("contact", lambda r: reverse("contacts:end", args=[r.pk])),
    "contacts:replace": RecordPage("contact", lambda r: reverse("contacts:replace", args=[r.pk])),
    "contacts:delete": RecordPage("contact", lambda r: reverse("contacts:delete", args=[r.pk])),
    "contacts:demarche_edit": RecordPage("demarche", lambda r: reverse("contacts:demarche_edit", args=[r.pk])),
    "contacts:demarche_answer": RecordPage(
        "demarche", lambda r: reverse("contacts:demarche_answer", args=[r.pk]), shows_record=True
    ),
    "igo:interaction_detail": RecordPage(
        "interaction", lambda r: reverse("igo:interaction_detail", args=[r.pk]), shows_record=True
    ),
    "igo:interaction_edit": RecordPage("interaction", lambda r: reverse("igo:interaction_edit", args=[r.pk])),
    "igo:interaction_delete": RecordPage("interaction", lambda r: reverse("igo:interaction_delete", args=[r.pk])),
    "api:programs-detail": RecordPage(
        "program", lambda r: _api("programs-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
    "api:contacts-detail": RecordPage(
        "contact", lambda r: _api("contacts-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
    "api:documents-detail": RecordPage(
        "document", lambda r: _api("documents-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
    "api:documents-download": RecordPage(
        "document", lambda r: _api("documents-download", pk=r.pk), api=True, shows_record=True, methods=("get",)
    ),
    "api:interactions-detail": RecordPage(
        "interaction", lambda r: _api("interactions-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
    "api:demarches-detail": RecordPage(
        "demarche", lambda r: _api("demarches-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
    "api:demarches-answer": RecordPage(
        "demarche", lambda r: _api("demarches-answer", pk=r.pk), api=True, methods=("get", "post"),
    ),
    "api:contacts-replace": RecordPage(
        "contact", lambda r: _api("contacts-replace", pk=r.pk), api=True, methods=("get", "post"),
    ),
    "api:agreements-detail": RecordPage(
        "agreement", lambda r: _api("agreements-detail", pk=r.pk), api=True, shows_record=True,
        methods=("get", "put", "patch", "delete"),
    ),
}  # fmt: skip

# Routes that show no confidential record, each with the reason (and where its own rules are tested).
PUBLIC: dict[str, str] = {
    "iati:activities": "public programs only, read through the policy as nobody (tests/programs/test_iati.py)",
    "iati:organization": "one organization's public programs only (tests/programs/test_iati.py)",
    "health": "statuses of the database, broker and storage only, never details (tests/portal/test_health.py)",
    "accounts:login": "the sign-in form",
    "accounts:logout": "signs the caller out",
    "accounts:password_change": "the caller's own password",
    "accounts:password_change_done": "a confirmation message",
    "accounts:password_reset": "asks for an e-mail address; answers the same whether or not it is known",
    "accounts:password_reset_done": "a confirmation message",
    "accounts:password_reset_confirm": "a one-time link for the caller's own password",
    "accounts:password_reset_complete": "a confirmation message",
    "accounts:tokens": "the caller's own API tokens only (tests/accounts/test_token_views.py)",
    "accounts:token_create": "makes a token for the caller only (tests/accounts/test_token_views.py)",
    "accounts:token_revoke": "the caller's own token (administrators: any); others answer 404 "
    "(tests/accounts/test_token_views.py)",
    "accounts:profile": "the caller's own account (tests/accounts/test_profile.py)",
    "accounts:session_revoke": "ends one of the caller's own sessions (tests/accounts/test_sessions.py)",
    "accounts:sessions_revoke_all": "ends the caller's own sessions (tests/accounts/test_sessions.py)",
    "accounts:invitation_accept": "an invitation's own link: its secret is the credential "
    "(tests/accounts/test_invitations.py)",
    "accounts:users": "accounts, not submissions: administrators all, focal points their organization's "
    "(tests/accounts/test_delegation.py)",
    "accounts:user_detail": "accounts, not submissions: another organization's answers 404 "
    "(tests/accounts/test_delegation.py)",
    "accounts:user_role": "accounts, not submissions (tests/accounts/test_delegation.py)",
    "accounts:user_deactivate": "accounts, not submissions (tests/accounts/test_delegation.py)",
    "accounts:user_reactivate": "accounts, not submissions (tests/accounts/test_delegation.py)",
    "accounts:user_revoke": "administrators only (tests/accounts/test_delegation.py)",
    "accounts:invite": "an empty form: who may invite whom is tested in tests/accounts/test_delegation.py",
    "accounts:invitations": "invitations, not submissions: administrators all, focal points their organization's "
    "(tests/accounts/test_delegation.py)",
    "accounts:invitation_resend": "invitations, not submissions (tests/accounts/test_delegation.py)",
    "accounts:invitation_revoke": "invitations, not submissions (tests/accounts/test_delegation.py)",
    "accounts:two_factor": "the caller's own two-factor status (tests/accounts/test_two_factor.py)",
    "accounts:two_factor_verify": "the caller's own second sign-in step",
    "accounts:two_factor_enrol": "the caller's own authenticator set-up",
    "accounts:two_factor_backup_codes": "the caller's own backup codes, shown once",
    "accounts:two_factor_disable": "turns off the caller's own two-factor sign-in",
    "accounts:two_factor_reset": "administrators only, another account's devices (tests/accounts/test_two_factor.py)",
    "set_language": "switches the interface language",
    "iros:list": "organizations and their designation status are public reference data",
    "iros:edit": "an organization's public profile (who may edit it: tests/iros/test_profile.py)",
    "iros:events": "outreach events are public reference data",
    "iros:event_detail": "outreach events are public reference data",
    "iros:options": "organizations and countries as select options: reference data (tests/iros/test_options.py)",
    "contacts:coordinators": "regional coordinators are public reference data",
    "contacts:create": "an empty form listing public organizations",
    "contacts:demarche_create": "an empty form for Committee experts (tests/contacts/test_demarches.py)",
    "programs:create": "an empty form listing public organizations and codes",
    "igo:interaction_create": "an empty form for Committee experts (tests/iros/test_igo_tables.py)",
    "igo:event_create": "an empty form for Committee experts (tests/iros/test_igo_tables.py)",
    "igo:demarche_moved": "a permanent redirect to contacts:demarche_create (tests/iros/test_igo_tables.py)",
    "api:imports-programs": "writes the caller's own rows through the services; a row naming a hidden program's ID "
    "reads like a missing one (tests/programs/test_import.py)",
    "api:imports-contacts": "writes the caller's own organization's contacts through the services; a hidden "
    "contact's ID reads like a missing one (tests/imports/test_contacts.py)",
    "api:imports-interactions": "Committee experts and administrators only, who see every interaction; a hidden "
    "linked program reads like a missing one (tests/imports/test_interactions.py)",
    "api:imports-events": "Committee experts and administrators only; events are public reference data "
    "(tests/imports/test_events.py)",
    "programs:import_job": "an import job (file name, counts, errors): its organization's focal points and "
    "administrators, 404 for everyone else (tests/imports/test_jobs.py)",
    "programs:import_job_cancel": "cancels an import job: its organization's focal points and administrators, 404 "
    "for everyone else (tests/imports/test_jobs.py)",
    "contacts:import_job": "an import job: its organization's focal points and administrators, 404 for everyone "
    "else, and for another kind's job (tests/imports/test_jobs.py, tests/imports/test_kinds.py)",
    "contacts:import_job_cancel": "cancels an import job: as contacts:import_job (tests/imports/test_jobs.py)",
    "igo:interactions_import_job": "an import job of the Committee's records: Committee experts and administrators, "
    "404 for everyone else (tests/imports/test_jobs.py)",
    "igo:interactions_import_job_cancel": "cancels it: as igo:interactions_import_job (tests/imports/test_jobs.py)",
    "igo:events_import_job": "an import job of the Committee's records: Committee experts and administrators, 404 "
    "for everyone else (tests/imports/test_jobs.py)",
    "igo:events_import_job_cancel": "cancels it: as igo:events_import_job (tests/imports/test_jobs.py)",
    "api:imports-programs-template": "the import template: headers, notes and reference codes only",
    "api:imports-contacts-template": "the import template: headers, notes and reference codes only",
    "api:imports-interactions-template": "the import template: headers, notes and reference codes only",
    "api:imports-events-template": "the import template: headers, notes and reference codes only",
    "api:token": "issues a token for the caller's own credentials",
    "api:schema": "the API description",
    "api:docs": "the API documentation",
    "api:api-root": "links to the resources",
    "api:not-found": "the JSON 404 for unknown API paths",
    "api:coordinators-list": "regional coordinators are public reference data",
    "api:coordinators-detail": "regional coordinators are public reference data",
    "api:designations-list": "designation status (whether and since when a role is designated) is public; it shows "
    "no contact details and counts only submitted standing contacts (tests/contacts/test_api_designations.py)",
    "api:events-list": "outreach events are public reference data",
    "api:events-detail": "outreach events are public reference data",
    "api:thematic-areas-list": "reference codes",
    "api:thematic-areas-detail": "reference codes",
    "api:regions-list": "reference codes",
    "api:regions-detail": "reference codes",
    "notifications:read": "marks one of the caller's own notifications read; another's answers 404 "
    "(tests/notifications/test_views.py)",
    "notifications:read_all": "marks the caller's own notifications read (tests/notifications/test_views.py)",
    "notifications:settings": "the caller's own notification settings (tests/notifications/test_views.py)",
    "api:notifications-detail": "the caller's own notifications only (tests/notifications/test_api.py)",
    "api:notifications-read": "the caller's own notifications only (tests/notifications/test_api.py)",
    "api:users-list": "administrators only; accounts are not submissions (tests/portal/test_api_users.py)",
    "api:users-detail": "administrators only; accounts are not submissions (tests/portal/test_api_users.py)",
    "api:users-deactivate": "administrators only (tests/portal/test_api_users.py)",
    "preferences:filter_create": "saves the caller's own filter (a query string, no record): the list reads it again "
    "through the policy for whoever applies it (tests/preferences/test_saved_filters.py)",
    "preferences:filter_delete": "a saved filter: its owner's, a shared one its organization's members' (403), 404 for "
    "everyone else (tests/preferences/test_saved_filters.py)",
    "help:index": "static help text: the guides of each persona",
    "help:glossary": "static help text: the portal's words",
    "help:persona": "static help text: one persona's guide (an unknown one answers 404)",
    "security:lockout_clear": "a sign-in lockout (a username and an address, no record); administrators only, "
    "404 for everyone else (tests/security/test_views.py)",
}

# Whole namespaces with their own access rules.
PUBLIC_NAMESPACES: dict[str, str] = {
    "admin": "Django admin: administrators only, everyone else is sent to its login (tests/portal/test_admin.py)",
}
