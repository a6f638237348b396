"""The security event log: rows carry facts, never secrets, and no role can change, delete or truncate them."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from confidentiality import policies
from portal.accounts.models import Role
from portal.security.models import SecurityEvent
from portal.security.services import security_event_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_an_event_names_who_and_where_but_never_a_secret():
    user = UserFactory(username="focal")
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7", HTTP_USER_AGENT="Chromium")
    request.user = user

    event = security_event_record(
        SecurityEvent.Kind.PASSWORD_CHANGED, request=request, user=user, password="s3cret", token="abc", via="web"
    )

    event.refresh_from_db()
    assert (event.actor, event.user, event.username, event.ip_address) == (user, user, "focal", "192.0.2.7")
    assert event.details == {"via": "web"}


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE security_securityevent SET username = 'someone else'",
        "DELETE FROM security_securityevent",
    ],
)
def test_the_log_refuses_update_and_delete_to_every_role(statement):
    security_event_record(SecurityEvent.Kind.SIGN_IN_FAILED, username="nobody")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert SecurityEvent.objects.filter(username="nobody").exists()


def test_rows_past_the_retention_period_may_be_purged():
    # An insert is never refused: a row written 500 days ago is what the purge meets.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO security_securityevent (at, kind, username, user_agent, details)"
            " VALUES (%s, 'sign_in', 'old', '', '{}') RETURNING id",
            [timezone.now() - timedelta(days=500)],
        )
        old_id = cursor.fetchone()[0]
    recent = security_event_record(SecurityEvent.Kind.SIGN_IN, username="recent")

    SecurityEvent.objects.filter(pk=old_id).delete()

    assert not SecurityEvent.objects.filter(pk=old_id).exists()
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(pk=recent.pk).delete()


@pytest.mark.parametrize(("role", "sees"), [(Role.ADMIN, True), (Role.COMMITTEE, False), (Role.FOCAL_POINT, False)])
def test_only_administrators_read_the_log(role, sees):
    security_event_record(SecurityEvent.Kind.SIGN_IN, username="someone")

    visible = policies.visible_to(UserFactory(role=role), SecurityEvent.objects.all())

    assert visible.exists() is sees


def test_only_the_table_owner_may_truncate_the_log():
    # given a role that is not the owner (the application's role in production, which also lacks the privilege)
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE portal_truncate_probe NOLOGIN")
        cursor.execute("GRANT TRUNCATE ON security_securityevent TO portal_truncate_probe")
        try:
            # when it truncates, with the privilege granted, the trigger still refuses
            with pytest.raises(DatabaseError, match="cannot be truncated"), transaction.atomic():
                cursor.execute("SET LOCAL ROLE portal_truncate_probe")
                cursor.execute("TRUNCATE security_securityevent")
        finally:
            cursor.execute("REVOKE ALL ON security_securityevent FROM portal_truncate_probe")
            cursor.execute("DROP ROLE portal_truncate_probe")
