"""Nobody but a superuser sets passwords or changes coordinator and superuser accounts in the admin, accounts that
log in with Entra ID never get a password, and they never log in with one (issue 20, finding 3).

The Entra ID accounts here are made the way production makes them: a login through the real OpenID Connect
provider in ``tests/oidc/provider.mjs`` (no browser: the provider's pages are plain forms, posted with
``requests``; the portal's side runs in Django's test client, which exchanges the code with the provider)."""

import os
import re
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.urls import reverse
from django.utils.timezone import localtime

from handlingsprogram.entra_config import provider_settings
from handlingsprogram.models import EntraGruppe, User

PASSWORD = "a-long-test-password"  # the conftest make_user password
NEW_PASSWORD = "Fjordhest-og-nordlys-2024"
PROVIDER = Path(__file__).resolve().parents[1] / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "handlingsprogram-test", "handlingsprogram-test-secret"  # noqa: S105 -- loopback only
CALLBACK = "http://testserver/konto/ekstern/oidc/entra/login/callback/"
GROUP_KOORDINATORER = "0f1e2d3c-aaaa-4bbb-8ccc-000000000001"  # alice is in it (tests/oidc/provider.mjs)


def password_page(user) -> str:
    return reverse("admin:auth_user_password_change", args=[user.pk])


def change_page(user) -> str:
    return reverse("admin:handlingsprogram_user_change", args=[user.pk])


def set_password_post(client, user, password=NEW_PASSWORD):
    return client.post(password_page(user), {"usable_password": "true", "password1": password, "password2": password})


def change_form_data(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "rolle": user.rolle,
        "enhet": user.enhet_id or "",
        # Editable only for superusers (for coordinators the admin shows them read-only and ignores them).
        "date_joined_0": localtime(user.date_joined).strftime("%d.%m.%Y"),
        "date_joined_1": localtime(user.date_joined).strftime("%H:%M:%S"),
        **changes,
    }
    return {key: value for key, value in data.items() if value != ""}


def log_in_with_password(client, username, password=PASSWORD, url=None) -> bool:
    client.post(url or reverse("konto:login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")
    return "_auth_user_id" in client.session


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser(username="root", password=PASSWORD, email="root@example.com")


@pytest.fixture
def other_koordinator(make_user, enhet_utdanning) -> User:
    return make_user("koordinator-2", User.Rolle.KOORDINATOR, enhet_utdanning, first_name="Kari")


# Coordinators in the admin


def test_a_coordinator_cannot_set_a_superusers_password(client, koordinator, superuser):
    client.force_login(koordinator)
    assert client.get(password_page(superuser)).status_code == 403
    assert set_password_post(client, superuser).status_code == 403
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)
    assert not superuser.check_password(NEW_PASSWORD)


def test_only_superusers_set_passwords_even_on_accounts_a_coordinator_manages(client, koordinator, saksbehandler):
    client.force_login(koordinator)
    assert set_password_post(client, saksbehandler).status_code == 403
    assert set_password_post(client, koordinator).status_code == 403  # not even their own: that is konto:password
    saksbehandler.refresh_from_db()
    assert saksbehandler.check_password(PASSWORD)
    # The change page offers no way to the password page either.
    assert password_page(saksbehandler) not in client.get(change_page(saksbehandler)).content.decode()


def test_a_coordinator_cannot_change_a_superuser_or_another_coordinator(
    client, koordinator, superuser, other_koordinator
):
    client.force_login(koordinator)
    for account in (superuser, other_koordinator, koordinator):
        page = client.get(change_page(account))
        assert page.status_code == 200  # read-only: coordinators may look
        assert not page.context["has_change_permission"]
        assert 'name="email"' not in page.content.decode()
        response = client.post(
            change_page(account),
            change_form_data(account, email="angriper@example.com", rolle=User.Rolle.LESER, is_active=""),
        )
        assert response.status_code == 403
        before = (account.email, account.rolle, account.is_active)
        account.refresh_from_db()
        assert (account.email, account.rolle, account.is_active) == before
        delete = reverse("admin:handlingsprogram_user_delete", args=[account.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:handlingsprogram_user_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [superuser.pk], "post": "yes"})
    assert User.objects.filter(pk=superuser.pk).exists()


def test_a_coordinator_manages_case_officers_but_cannot_promote_them(client, koordinator, saksbehandler):
    client.force_login(koordinator)
    response = client.post(change_page(saksbehandler), change_form_data(saksbehandler, first_name="Ola"))
    assert response.status_code == 302
    saksbehandler.refresh_from_db()
    assert saksbehandler.first_name == "Ola"

    for changes in (
        {"rolle": User.Rolle.KOORDINATOR},
        {"is_superuser": "on"},
        {"is_staff": "on"},
        {"email": "angriper@example.com"},  # the address a password reset goes to
    ):
        client.post(change_page(saksbehandler), change_form_data(saksbehandler, **changes))
        saksbehandler.refresh_from_db()
        assert saksbehandler.rolle == User.Rolle.SAKSBEHANDLER, changes
        assert not (saksbehandler.is_superuser or saksbehandler.is_staff), changes
        assert saksbehandler.email == "", changes


def test_a_coordinator_creates_only_case_officers_and_readers_and_without_a_password(client, koordinator):
    client.force_login(koordinator)
    add = reverse("admin:handlingsprogram_user_add")
    html = client.get(add).content.decode()
    assert 'name="password1"' not in html and 'name="is_superuser"' not in html
    assert 'value="koordinator"' not in html
    for rolle in (User.Rolle.KOORDINATOR, User.Rolle.SAKSBEHANDLER):
        client.post(
            add,
            {
                "username": f"ny-{rolle}",
                "rolle": rolle,
                "is_superuser": "on",
                "is_staff": "on",
                "usable_password": "true",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
            },
        )
    assert not User.objects.filter(username="ny-koordinator").exists()
    created = User.objects.get(username="ny-saksbehandler")
    assert created.rolle == User.Rolle.SAKSBEHANDLER
    assert not (created.is_superuser or created.is_staff)
    assert not created.has_usable_password()


def test_a_superuser_still_sets_passwords_and_roles(client, superuser, koordinator):
    client.force_login(superuser)
    assert set_password_post(client, koordinator).status_code == 302
    koordinator.refresh_from_db()
    assert koordinator.check_password(NEW_PASSWORD)
    response = client.post(change_page(koordinator), change_form_data(koordinator, rolle=User.Rolle.LESER))
    assert response.status_code == 302
    koordinator.refresh_from_db()
    assert koordinator.rolle == User.Rolle.LESER


# Entra ID accounts


@pytest.fixture(scope="module")
def issuer():
    """The test OpenID Connect provider on a free loopback port; its first line of output is its issuer URL."""
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": CALLBACK,
        "OIDC_PKCE_REQUIRED": "1",
    }
    process = subprocess.Popen(["node", str(PROVIDER), "0"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), url
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def entra(settings, issuer, enhet_utdanning):
    settings.ENTRA_CLIENT_ID = CLIENT_ID
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(server_url=issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET)
    EntraGruppe.objects.create(
        gruppe_id=GROUP_KOORDINATORER, navn="Internasjonalt team", rolle=User.Rolle.KOORDINATOR, enhet=enhet_utdanning
    )
    return issuer


def log_in_with_entra(client, login="alice", password="alice-pw"):
    """The authorization code flow, with the provider's login and consent forms posted as a browser would."""
    response = client.post(reverse("openid_connect_login", kwargs={"provider_id": "entra"}))
    assert response.status_code == 302, response.content
    browser = requests.Session()
    url, method, data = response["Location"], "GET", None
    for _ in range(20):
        if url.startswith(CALLBACK):
            parts = urlsplit(url)
            return client.get(f"{parts.path}?{parts.query}")
        reply = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if reply.is_redirect:
            url, method, data = urljoin(url, reply.headers["Location"]), "GET", None
            continue
        action = re.search(r'<form method="post" action="([^"]+)"', reply.text)
        assert action, reply.text
        url, method = urljoin(url, action.group(1)), "POST"
        data = {"login": login, "password": password} if 'name="login"' in reply.text else {}
    raise AssertionError("the login never came back to the portal")


@pytest.fixture
def alice(client, entra) -> User:
    response = log_in_with_entra(client)
    assert response.status_code == 302, response.content
    client.logout()
    return User.objects.get(email="alice@example.com")


def test_an_account_made_by_an_entra_id_login_has_no_usable_password(alice):
    assert SocialAccount.objects.filter(user=alice, provider="entra").exists()
    assert alice.rolle == User.Rolle.KOORDINATOR
    assert not alice.has_usable_password()


def test_not_even_a_superuser_sets_a_password_on_an_entra_id_account(client, alice, superuser):
    client.force_login(superuser)
    response = client.get(password_page(alice), follow=True)
    assert "logger inn med Microsoft Entra ID" in response.content.decode()
    response = set_password_post(client, alice)
    assert response.status_code == 302
    assert response["Location"] == change_page(alice)
    alice.refresh_from_db()
    assert not alice.has_usable_password()


def test_an_entra_id_account_never_logs_in_with_a_password(client, alice):
    # A password it got before this rule (the way the probe gave one), and then its group is removed in Entra ID:
    # the next Entra ID login is refused, and so is every password login.
    alice.set_password(NEW_PASSWORD)
    alice.save()
    EntraGruppe.objects.all().delete()
    assert log_in_with_entra(client).status_code == 403
    assert not log_in_with_password(client, alice.username, NEW_PASSWORD)
    assert not log_in_with_password(client, alice.username.upper(), NEW_PASSWORD)  # allauth's backend ignores case
    assert not log_in_with_password(client, alice.username, NEW_PASSWORD, url=reverse("admin:login"))
    # A local account logs in with its password as before.
    User.objects.create_user(username="lokal", password=PASSWORD)
    assert log_in_with_password(client, "lokal")
