import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from confidentiality.policies import viewer_for
from iros.models import Membership
from portal.accounts.models import Role, User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-1540"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def password_env(monkeypatch):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", PASSWORD)


@pytest.fixture
def osce():
    return OrganizationFactory(acronym="OSCE")


def counts() -> tuple[int, int]:
    return User.objects.count(), Membership.objects.count()


@pytest.mark.parametrize("role", [Role.FOCAL_POINT, Role.MEMBER])
def test_creates_an_iro_user_with_its_membership(role, osce, password_env, capsys):
    call_command("createportaluser", "anna", "--role", role, "--org", "OSCE", "--email", "anna@osce.test", "--noinput")

    user = User.objects.get(username="anna")
    assert user.role == role
    assert user.membership.organization == osce
    assert user.email == "anna@osce.test"
    assert user.check_password(PASSWORD)
    assert not user.is_staff
    assert "anna" in capsys.readouterr().out


def test_creates_a_committee_expert_without_admin_access(password_env):
    call_command("createportaluser", "expert", "--role", "committee", "--noinput")

    user = User.objects.get(username="expert")
    assert user.role == Role.COMMITTEE
    assert not user.is_staff
    assert not user.is_superuser
    assert not Membership.objects.filter(user=user).exists()


def test_creates_an_administrator(password_env):
    call_command("createportaluser", "root", "--role", "admin", "--noinput")

    user = User.objects.get(username="root")
    assert viewer_for(user).is_admin
    assert user.is_staff
    assert user.is_superuser


def test_accepts_the_acronym_in_any_case(osce, password_env):
    call_command("createportaluser", "anna", "--role", "member", "--org", "osce", "--noinput")

    assert User.objects.get(username="anna").membership.organization == osce


def test_prompts_twice_for_the_password_without_noinput(monkeypatch):
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))

    call_command("createportaluser", "expert", "--role", "committee")

    assert User.objects.get(username="expert").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "superhero", "--noinput"], "Unknown role"),
        (["x", "--role", "focal_point", "--noinput"], "--org is required"),
        (["x", "--role", "member", "--noinput"], "--org is required"),
        (["x", "--role", "committee", "--org", "OSCE", "--noinput"], "--org is not allowed"),
        (["x", "--role", "admin", "--org", "OSCE", "--noinput"], "--org is not allowed"),
        (["x", "--role", "member", "--org", "NOPE", "--noinput"], "No organization"),
        (["taken", "--role", "committee", "--noinput"], "already exists"),
        (["x", "--role", "committee", "--email", "not-an-address", "--noinput"], "email"),
        (["bad name!", "--role", "committee", "--noinput"], "username"),
    ],
)
def test_every_mistake_is_a_clear_error_that_creates_nothing(args, message, osce, password_env):
    UserFactory(username="taken")
    before = counts()

    with pytest.raises(CommandError, match=message):
        call_command("createportaluser", *args)

    assert counts() == before


def test_noinput_without_the_password_variable_is_an_error(monkeypatch):
    monkeypatch.delenv("PORTAL_USER_PASSWORD", raising=False)
    before = counts()

    with pytest.raises(CommandError, match="PORTAL_USER_PASSWORD"):
        call_command("createportaluser", "expert", "--role", "committee", "--noinput")

    assert counts() == before


def test_a_weak_password_is_refused(monkeypatch):
    monkeypatch.setenv("PORTAL_USER_PASSWORD", "123")
    before = counts()

    with pytest.raises(CommandError, match="password"):
        call_command("createportaluser", "expert", "--role", "committee", "--noinput")

    assert counts() == before


@pytest.mark.parametrize("answers", [["one-long-passphrase", "another-passphrase"], ["", ""]])
def test_mismatched_or_blank_prompted_passwords_create_nothing(answers, monkeypatch):
    replies = iter(answers)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(replies))
    before = counts()

    with pytest.raises(CommandError):
        call_command("createportaluser", "expert", "--role", "committee")

    assert counts() == before


def test_role_is_required():
    with pytest.raises(CommandError):
        call_command("createportaluser", "expert", "--noinput")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["x", "--role", "superhero", "--noinput"], "Unknown role"),
        (["x", "--role", "member", "--noinput"], "--org is required"),
        (["x", "--role", "member", "--org", "NOWHERE", "--noinput"], "No organization"),
    ],
)
def test_from_the_shell_a_mistake_exits_non_zero_without_a_traceback(args, message):
    # The child process reads the test database; the test transaction's rows are invisible to it, which is
    # fine: these mistakes need no rows.
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": f"postgres://postgres@localhost:5432/{connection.settings_dict['NAME']}",
        "PORTAL_USER_PASSWORD": PASSWORD,
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "createportaluser", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert counts() == (0, 0)
