"""Invitations: the e-mailed link opens one account, once, before it expires; re-send replaces it, revoke ends it."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from iros.models import Membership
from portal.accounts.models import Invitation, Role, User
from portal.accounts.services import invitation_create, invitation_resend, invitation_revoke, user_create
from portal.security.models import SecurityEvent

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-unusual-passphrase-1540"


def invitation_link(message) -> str:
    """The path of the invitation link in an e-mail."""
    return re.search(r"https?://[^/\s]+(/accounts/invitations/\S+/)", message.body).group(1)


def accept(client, link: str, username: str = "newcomer", password: str = PASSWORD):
    return client.post(link, {"username": username, "password1": password, "password2": password})


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs what waits for the commit (the e-mail) when the block ends, as the end of a request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def sent(people, orgs, client, committed):
    """An administrator invited a focal point of OWNER through the page; the e-mail is in the outbox."""
    client.force_login(people["admin"])
    with committed():
        response = client.post(
            reverse("accounts:invite"),
            {"email": "Focal@Owner.test", "role": Role.FOCAL_POINT, "organization": "OWNER"},
        )
    assert response.status_code == 302, response.context["form"].errors
    client.logout()
    return Invitation.objects.get(), mail.outbox[-1]


def test_the_invitation_email_carries_a_single_link_and_the_database_only_its_hash(sent, settings):
    invitation, message = sent

    assert message.to == ["Focal@owner.test"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "\n" not in message.subject
    assert settings.PORTAL_BASE_URL in message.body
    secret = invitation_link(message).rstrip("/").rsplit("/", 1)[1]
    assert len(secret) >= 40
    assert secret not in invitation.secret_hash
    assert invitation.expires - invitation.created == pytest.approx(timedelta(days=7), abs=timedelta(seconds=5))
    assert invitation.status == Invitation.Status.PENDING


def test_accepting_opens_the_account_with_the_invited_role_and_signs_in(sent, client, orgs):
    invitation, message = sent
    link = invitation_link(message)
    page = client.get(link)
    assert page.status_code == 200
    assert page.context["form"]["username"].value() == "Focal"  # derived from the address

    response = accept(client, link)

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get(username="newcomer")
    assert (user.role, user.email, user.is_active) == (Role.FOCAL_POINT, "Focal@owner.test", True)
    assert user.membership.organization == orgs["owner"]
    assert user.check_password(PASSWORD)
    assert client.session[SESSION_KEY] == str(user.pk)
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert invitation.user == user


def test_a_link_works_once(sent, client):
    _, message = sent
    link = invitation_link(message)
    accept(client, link)
    client.logout()
    before = User.objects.count()

    assert client.get(link).status_code == 410
    response = accept(client, link, username="second")

    assert response.status_code == 410
    assert "already used" in response.content.decode()
    assert User.objects.count() == before


def test_an_expired_link_answers_410_and_opens_nothing(sent, client):
    invitation, message = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timedelta(minutes=1))
    before = User.objects.count()

    response = accept(client, invitation_link(message))

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert User.objects.count() == before


def test_a_revoked_link_answers_410(sent, client, people):
    invitation, message = sent

    invitation_revoke(actor=people["admin"], invitation=invitation)

    response = client.get(invitation_link(message))
    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()


@pytest.mark.parametrize("secret", ["not-a-real-secret", "x" * 10_000, "\u202e-!&|"])
def test_an_unknown_link_answers_404_with_a_message(secret, client):
    response = client.get(f"/accounts/invitations/{secret}/")

    assert response.status_code == 404
    assert "not valid" in response.content.decode()


def test_a_link_no_secret_can_be_is_404_before_any_lookup(client):
    # A NUL cannot be stored: the kernel's middleware answers 404 before the view (portal.kernel.middleware).
    assert client.get("/accounts/invitations/a%00b/").status_code == 404


def test_re_sending_replaces_the_link_and_the_expiry(sent, client, people, committed):
    invitation, first = sent
    Invitation.objects.filter(pk=invitation.pk).update(expires=timezone.now() - timedelta(days=1))

    with committed():
        invitation_resend(actor=people["admin"], invitation=invitation)

    second = mail.outbox[-1]
    assert invitation_link(second) != invitation_link(first)
    assert client.get(invitation_link(first)).status_code == 404
    assert accept(client, invitation_link(second)).status_code == 302
    invitation.refresh_from_db()
    assert invitation.expires > timezone.now() + timedelta(days=6)


def test_an_accepted_or_revoked_invitation_cannot_be_re_sent(sent, people):
    invitation, _ = sent
    invitation_revoke(actor=people["admin"], invitation=invitation)
    outbox = len(mail.outbox)

    with pytest.raises(Exception, match="nothing to re-send"):
        invitation_resend(actor=people["admin"], invitation=invitation)

    assert len(mail.outbox) == outbox


def test_the_acceptance_form_refuses_a_weak_password_or_a_taken_username(sent, client, people):
    _, message = sent
    link = invitation_link(message)
    before = User.objects.count()

    weak = accept(client, link, password="123")
    taken = accept(client, link, username=people["owner_member"].username.upper())

    assert weak.status_code == taken.status_code == 200
    assert weak.context["form"].errors["password2"]
    assert taken.context["form"].errors["username"]
    assert User.objects.count() == before
    assert SESSION_KEY not in client.session


def test_inviting_checks_role_and_organization_together_on_the_form(people, client):
    client.force_login(people["admin"])

    committee_with_org = client.post(
        reverse("accounts:invite"), {"email": "a@b.test", "role": Role.COMMITTEE, "organization": "OWNER"}
    )
    member_without = client.post(reverse("accounts:invite"), {"email": "a@b.test", "role": Role.MEMBER})

    assert "does not belong to an organization" in committee_with_org.context["form"].errors["organization"][0]
    assert "must belong to an organization" in member_without.context["form"].errors["organization"][0]
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_an_address_with_an_account_or_a_pending_invitation_is_refused(people, client):
    invitation_create(email="new@x.test", role=Role.COMMITTEE)
    client.force_login(people["admin"])

    existing = client.post(reverse("accounts:invite"), {"email": people["committee"].email, "role": Role.COMMITTEE})
    pending = client.post(reverse("accounts:invite"), {"email": "NEW@x.test", "role": Role.COMMITTEE})

    assert existing.context["form"].errors["email"]
    assert pending.context["form"].errors["email"]
    assert Invitation.objects.count() == 1


def test_nothing_is_mailed_when_the_invitation_rolls_back(people, committed):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        invitation_create(email="gone@x.test", role=Role.COMMITTEE)
        raise RuntimeError

    assert mail.outbox == []
    assert not Invitation.objects.exists()


def test_the_security_log_records_sent_accepted_and_revoked_without_the_secret(sent, client, people):
    invitation, message = sent
    secret = invitation_link(message).rstrip("/").rsplit("/", 1)[1]
    accept(client, invitation_link(message))
    other = invitation_create(email="other@x.test", role=Role.COMMITTEE, invited_by=people["admin"])
    invitation_revoke(actor=people["admin"], invitation=other)

    events = SecurityEvent.objects.order_by("id")
    kinds = [event.kind for event in events]
    assert kinds.count(SecurityEvent.Kind.INVITATION_SENT) == 2
    accepted = events.get(kind=SecurityEvent.Kind.INVITATION_ACCEPTED)
    assert accepted.user.username == "newcomer"
    assert accepted.details == {"role": Role.FOCAL_POINT, "organization": "OWNER"}
    revoked = events.get(kind=SecurityEvent.Kind.INVITATION_REVOKED)
    assert (revoked.actor, revoked.username) == (people["admin"], "other@x.test")
    assert all(secret not in str(event.details) for event in events)
    assert all(invitation.secret_hash not in str(event.details) for event in events)


# --- accounts without a password ------------------------------------------------------------------------------


def test_an_account_made_without_a_password_signs_in_after_a_password_reset(client, orgs):
    # given an account made by the API or the command line without a password
    user = user_create(username="later", role=Role.MEMBER, organization=orgs["owner"], email="later@owner.test")
    assert not user.has_usable_password()

    # when its owner asks for a reset and follows the link
    client.post(reverse("accounts:password_reset"), {"email": "later@owner.test"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    client.post(form_page.redirect_chain[-1][0], {"new_password1": PASSWORD, "new_password2": PASSWORD})

    # then the new password signs in
    response = client.post(reverse("accounts:login"), {"username": "later", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_an_inactive_account_without_a_password_gets_no_reset_link(client):
    user = user_create(username="closed", role=Role.COMMITTEE, email="closed@x.test")
    User.objects.filter(pk=user.pk).update(is_active=False)

    client.post(reverse("accounts:password_reset"), {"email": "closed@x.test"})

    assert mail.outbox == []


def test_an_account_made_without_a_password_can_also_be_invited_to_choose_one(people, client):
    # An invitation opens a new account: for an existing one without a password, the reset is the way.
    user_create(username="later", role=Role.COMMITTEE, email="later@x.test")
    client.force_login(people["admin"])

    response = client.post(reverse("accounts:invite"), {"email": "later@x.test", "role": Role.COMMITTEE})

    assert "already exists" in response.context["form"].errors["email"][0]


# --- createportaluser --invite --------------------------------------------------------------------------------


def test_createportaluser_invite_mails_an_invitation_for_that_username(orgs, client, capsys, committed):
    with committed():
        call_command(
            "createportaluser", "anna", "--role", "member", "--org", "owner", "--email", "anna@o.test", "--invite"
        )

    assert not User.objects.filter(username="anna").exists()
    assert "anna@o.test" in capsys.readouterr().out
    page = client.get(invitation_link(mail.outbox[-1]))
    assert page.context["form"]["username"].value() == "anna"
    accept(client, invitation_link(mail.outbox[-1]), username="ignored")
    user = User.objects.get(username="anna")
    assert (user.role, Membership.objects.get(user=user).organization) == (Role.MEMBER, orgs["owner"])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["anna", "--role", "member", "--org", "OWNER", "--invite"], "--email"),
        (["anna", "--role", "member", "--email", "a@o.test", "--invite"], "--org is required"),
        (["owner-member", "--role", "committee", "--email", "a@o.test", "--invite"], "already exists"),
        (["bad name!", "--role", "committee", "--email", "a@o.test", "--invite"], "username"),
    ],
)
def test_createportaluser_invite_mistakes_are_clear_errors(args, message, people):
    with pytest.raises(CommandError, match=message):
        call_command("createportaluser", *args)

    assert not Invitation.objects.exists()
    assert mail.outbox == []
