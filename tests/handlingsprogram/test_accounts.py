"""Log in, log out, passwords, and the failed-login lockout (django-axes), through the web.

The lockout stays on in tests. Django's ``client.login()`` calls ``authenticate()`` without a request, which
axes refuses (AxesBackendRequestParameterRequired); tests log in with ``client.force_login(user)`` or with
``client.login(request=HttpRequest(), username=…, password=…)``."""

import re

import pytest
from axes.exceptions import AxesBackendRequestParameterRequired
from django.conf import settings
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from handlingsprogram.models import User

PASSWORD = "a-long-test-password"  # the conftest make_user password
NEW_PASSWORD = "Fjordhest-og-nordlys-2024"
LOGIN = reverse("konto:login")


def post_login(client, username, password, address="10.0.0.1", **extra):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address, **extra)


def is_logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def user(make_user, enhet_utdanning) -> User:
    return make_user("kari", User.Rolle.SAKSBEHANDLER, enhet_utdanning, email="kari.nordmann@trondelagfylke.no")


# Logging in and out


def test_login_page_renders_for_anonymous(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<label class="ds-label" for="id_username">Brukernavn</label>' in html
    assert '<label class="ds-label" for="id_password">Passord</label>' in html
    assert re.search(r'<input type="text" name="username" class="ds-input"[^>]* autocomplete="username"', html)
    assert re.search(
        r'<input type="password" name="password" class="ds-input"[^>]* autocomplete="current-password"', html
    )
    assert '<button type="submit" class="ds-button"' in html
    assert reverse("konto:password_reset") in html
    assert "<script" not in html and "style=" not in html  # strict CSP: no inline script or style


def test_login_with_the_right_password_goes_to_mine_tiltak(client, user):
    response = post_login(client, "kari", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("tiltak:mine")
    assert is_logged_in(client)


def test_login_honours_a_safe_next_and_ignores_an_external_one(client, user):
    target = reverse("tiltak:list")
    response = client.post(f"{LOGIN}?next={target}", {"username": "kari", "password": PASSWORD, "next": target})
    assert response["Location"] == target
    client.logout()
    response = client.post(LOGIN, {"username": "kari", "password": PASSWORD, "next": "https://evil.example/"})
    assert response["Location"] == reverse("tiltak:mine")


def test_login_with_a_wrong_password_shows_a_bokmaal_error_and_no_session(client, user):
    response = post_login(client, "kari", "wrong-password")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="ds-alert" data-color="danger" role="alert">' in html
    assert "Vennligst oppgi korrekt brukernavn og passord" in html
    assert not is_logged_in(client)


def test_missing_fields_are_marked_in_designsystemet_markup(client, db):
    html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_username_error"' in html
    assert '<div class="ds-validation-message" data-field="validation" id="id_username_error">' in html
    assert "Feltet er påkrevet." in html


def test_logout_is_post_only_and_goes_to_the_overview(client, user):
    client.force_login(user)
    assert client.get(reverse("konto:logout")).status_code == 405
    assert is_logged_in(client)
    response = client.post(reverse("konto:logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("tiltak:overview")
    assert not is_logged_in(client)


def test_test_client_login_needs_a_request_with_axes(client, user):
    with pytest.raises(AxesBackendRequestParameterRequired):
        client.login(username="kari", password=PASSWORD)
    assert client.login(request=HttpRequest(), username="kari", password=PASSWORD)
    assert is_logged_in(client)


# Failed-login lockout


def test_settings_lock_per_account_and_per_address_separately():
    assert settings.AXES_ENABLED
    assert settings.AXES_FAILURE_LIMIT == 5
    # Two separate strings: either counter locks. [["username", "ip_address"]] would only lock the combination.
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]


def test_five_failures_for_one_account_lock_it_even_from_other_addresses(client, user, make_user):
    for attempt in range(1, 5):
        response = post_login(client, "kari", "wrong-password", address=f"192.0.2.{attempt}")
        assert response.status_code == 200, attempt
    response = post_login(client, "kari", "wrong-password", address="192.0.2.5")
    assert response.status_code == 429

    # The right password from yet another address is refused as well.
    response = post_login(client, "kari", PASSWORD, address="198.51.100.77")
    assert response.status_code == 429
    assert not is_logged_in(client)

    # The lock is on the account, not on the addresses used: someone else logs in from one of them.
    make_user("ola", User.Rolle.LESER)
    response = post_login(client, "ola", PASSWORD, address="192.0.2.1")
    assert response.status_code == 302
    assert is_logged_in(client)


def test_five_failures_from_one_address_lock_that_address_for_every_account(client, user):
    for attempt, username in enumerate(["anne", "bjorn", "cecilie", "dag"], start=1):
        response = post_login(client, username, "guess", address="203.0.113.9")
        assert response.status_code == 200, attempt
    assert post_login(client, "erik", "guess", address="203.0.113.9").status_code == 429

    # kari never failed, but her right password from the locked address is refused …
    response = post_login(client, "kari", PASSWORD, address="203.0.113.9")
    assert response.status_code == 429
    assert not is_logged_in(client)
    # … while she logs in fine from another address.
    response = post_login(client, "kari", PASSWORD, address="203.0.113.10")
    assert response.status_code == 302


def test_lockout_page_answers_429_in_bokmaal(client, user):
    for _ in range(5):
        response = post_login(client, "kari", "wrong-password")
    assert response.status_code == 429
    html = response.content.decode()
    assert "For mange mislykkede innlogginger" in html
    assert "Prøv igjen om 15 minutter." in html
    assert '<div class="ds-alert" data-color="danger" role="alert">' in html
    assert reverse("konto:password_reset") in html


def test_a_successful_login_resets_the_count(client, user):
    for _ in range(4):
        post_login(client, "kari", "wrong-password")
    assert post_login(client, "kari", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert post_login(client, "kari", "wrong-password").status_code == 200


# How the client address itself is decided (and that the API's limits use the same one): tests/api/test_throttling.py
@override_settings(BEHIND_PROXY=True)
def test_behind_a_proxy_the_lockout_is_per_client_and_cannot_be_dodged_by_forging_the_header(client, user):
    proxy = "10.0.0.2"
    # Five different clients behind the same proxy, one failure each: nobody is locked out.
    for n, username in enumerate(["anne", "bjorn", "cecilie", "dag", "erik"], start=1):
        response = post_login(client, username, "guess", address=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
        assert response.status_code == 200
    # One client forging a different left-most address each time is still counted as itself.
    for n in range(4):
        forged = f"172.16.0.{n}, 198.51.100.5"
        response = post_login(client, f"user{n}", "guess", address=proxy, HTTP_X_FORWARDED_FOR=forged)
        assert response.status_code == 200
    forged = "172.16.0.99, 198.51.100.5"
    assert post_login(client, "user9", "guess", address=proxy, HTTP_X_FORWARDED_FOR=forged).status_code == 429


# Passwords


def test_password_change_requires_login(client, db):
    for name in ("konto:password_change", "konto:password_change_done"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(f"{LOGIN}?next=")


def test_password_change(client, user):
    client.force_login(user)
    page = client.get(reverse("konto:password_change"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'autocomplete="current-password"' in html
    assert html.count('autocomplete="new-password"') == 2
    assert 'data-field="description" id="id_new_password1_helptext"' in html

    wrong = client.post(
        reverse("konto:password_change"),
        {"old_password": "nope", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert 'id="id_old_password_error"' in wrong.content.decode()

    response = client.post(
        reverse("konto:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("konto:password_change_done")
    assert client.get(response["Location"]).status_code == 200
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_sends_a_working_link(client, user, mailoutbox):
    page = client.get(reverse("konto:password_reset"))
    assert page.status_code == 200
    assert 'autocomplete="email"' in page.content.decode()

    response = client.post(reverse("konto:password_reset"), {"email": "Kari.Nordmann@trondelagfylke.no"})
    assert response.status_code == 302
    assert response["Location"] == reverse("konto:password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["kari.nordmann@trondelagfylke.no"]
    assert mail.subject == "Lag nytt passord for Handlingsprogram-portalen"
    assert "Hei kari," in mail.body
    link = re.search(r"http://testserver(/konto/passord/tilbakestill/[^/\s]+/[^/\s]+/)", mail.body).group(1)

    # Django swaps the token in the address for one in the session before showing the form.
    set_password = client.get(link)
    assert set_password.status_code == 302
    form = client.get(set_password["Location"])
    assert form.status_code == 200
    assert form.context["validlink"]
    done = client.post(set_password["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("konto:password_reset_complete")
    assert client.get(done["Location"]).status_code == 200

    assert post_login(client, "kari", NEW_PASSWORD).status_code == 302
    # The link works once.
    client.logout()
    again = client.get(link, follow=True)
    assert not again.context["validlink"]
    assert "Lenken virker ikke" in again.content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_but_looks_the_same(client, user, mailoutbox):
    response = client.post(reverse("konto:password_reset"), {"email": "ukjent@example.no"}, follow=True)
    assert mailoutbox == []
    assert response.redirect_chain == [(reverse("konto:password_reset_done"), 302)]
    assert "Sjekk e-posten din" in response.content.decode()
