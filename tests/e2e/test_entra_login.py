"""Login with Microsoft Entra ID over OpenID Connect, against a real OpenID Connect provider (the npm package
oidc-provider, started on loopback by `tests/oidc/provider.mjs`), in Chromium. The provider speaks the protocol
Entra ID speaks: authorization code with PKCE, signed ID tokens with a `groups` claim of group object IDs."""

import os
import subprocess
from pathlib import Path

import pytest

from handlingsprogram.entra_config import origin, provider_settings
from handlingsprogram.models import Enhet, EntraGruppe, User
from tests.e2e.conftest import axe_violations

pytestmark = pytest.mark.e2e

PROVIDER = Path(__file__).resolve().parents[1] / "oidc" / "provider.mjs"
CLIENT_ID, CLIENT_SECRET = "handlingsprogram-test", "handlingsprogram-test-secret"  # noqa: S105 -- loopback only
CALLBACK = "/konto/ekstern/oidc/entra/login/callback/"
# The provider's test accounts (tests/oidc/provider.mjs): alice is in both groups, bob only in the second.
GROUP_KOORDINATORER = "0f1e2d3c-aaaa-4bbb-8ccc-000000000001"
GROUP_ALLE = "0f1e2d3c-aaaa-4bbb-8ccc-000000000002"


@pytest.fixture
def issuer(live_server, tmp_path):
    """Start the provider on a free loopback port; its first line of output is its issuer URL."""
    env = {
        **os.environ,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": live_server.url + CALLBACK,
        "OIDC_PKCE_REQUIRED": "1",  # the provider refuses a login without PKCE
    }
    log = tmp_path / "provider.log"
    with log.open("w") as stderr:
        process = subprocess.Popen(
            ["node", str(PROVIDER), "0"], env=env, stdout=subprocess.PIPE, stderr=stderr, text=True
        )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), (url, log.read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


@pytest.fixture
def entra(settings, issuer, loaded_programme):
    settings.ENTRA_CLIENT_ID = CLIENT_ID
    settings.SOCIALACCOUNT_PROVIDERS = provider_settings(server_url=issuer, client_id=CLIENT_ID, secret=CLIENT_SECRET)
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", origin(issuer)]}
    utdanning = Enhet.objects.get(aktoer__slug="trondelag-fylkeskommune", slug="avdeling-for-utdanning")
    EntraGruppe.objects.create(
        gruppe_id=GROUP_KOORDINATORER, navn="Internasjonalt team", rolle=User.Rolle.KOORDINATOR, enhet=utdanning
    )
    return issuer


def log_in_with_entra(page, base, issuer, login, password):
    page.goto(base + "/konto/logg-inn/")
    page.get_by_role("button", name="Logg inn med Microsoft Entra ID").click()
    page.wait_for_url(issuer + "/interaction/**")
    page.fill("#login", login)
    page.fill("#password", password)
    page.click("#submit")
    page.wait_for_selector("#allow, h1")
    if page.locator("#allow").count():
        page.click("#allow")  # the provider's consent page, the first time
    page.wait_for_url(base + "/**")
    page.wait_for_load_state()


def test_staff_log_in_with_entra_id_and_get_role_and_unit_from_their_groups(live_server, page, entra):
    base = live_server.url
    page.goto(base + "/konto/logg-inn/")
    assert axe_violations(page) == []
    log_in_with_entra(page, base, entra, "alice", "alice-pw")
    assert page.url == base + "/mine-tiltak/"
    assert page.locator("h1").inner_text() == "Mine tiltak"
    assert page.get_by_role("link", name="Administrasjon").is_visible()  # a coordinator
    assert not page.get_by_role("link", name="Endre passord").count()  # no password to change

    alice = User.objects.get(email="alice@example.com")
    assert (alice.rolle, alice.enhet.slug) == (User.Rolle.KOORDINATOR, "avdeling-for-utdanning")
    assert (alice.first_name, alice.last_name) == ("Alice", "Example")
    assert not alice.has_usable_password()

    # A coordinator moves the group to reader: it takes effect at the next login.
    EntraGruppe.objects.filter(gruppe_id=GROUP_KOORDINATORER).update(rolle=User.Rolle.LESER)
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state()
    page.context.clear_cookies()  # the next day: no session with the provider either
    log_in_with_entra(page, base, entra, "alice", "alice-pw")
    alice.refresh_from_db()
    assert alice.rolle == User.Rolle.LESER
    assert User.objects.filter(email="alice@example.com").count() == 1


def test_someone_in_no_mapped_group_is_refused_and_nothing_is_stored(live_server, page, entra):
    log_in_with_entra(page, live_server.url, entra, "bob", "bob-pw")
    assert page.locator("h1").inner_text() == "Ingen tilgang til portalen"
    assert "Ingenting om deg ble lagret" in page.locator("#entra-no-access").inner_text()
    assert axe_violations(page) == []
    assert not User.objects.filter(email="bob@example.com").exists()
    # Once the group is mapped, bob gets in as a reader.
    EntraGruppe.objects.create(gruppe_id=GROUP_ALLE, navn="Alle ansatte", rolle=User.Rolle.LESER)
    page.context.clear_cookies()
    log_in_with_entra(page, live_server.url, entra, "bob", "bob-pw")
    assert User.objects.get(email="bob@example.com").rolle == User.Rolle.LESER


def test_password_login_can_be_switched_off(live_server, page, entra, settings):
    settings.PASSWORD_LOGIN = False
    User.objects.create_user(username="lokal", password="a-long-test-password", rolle=User.Rolle.KOORDINATOR)
    page.goto(live_server.url + "/konto/logg-inn/")
    assert page.get_by_role("button", name="Logg inn med Microsoft Entra ID").is_visible()
    assert page.locator("input[name=password]").count() == 0
    assert axe_violations(page) == []
    assert page.request.get(live_server.url + "/konto/passord/tilbakestill/").status == 404
    # A password posted anyway is refused without being checked.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        live_server.url + "/konto/logg-inn/",
        form={"username": "lokal", "password": "a-long-test-password", "csrfmiddlewaretoken": token},
        headers={"Referer": live_server.url + "/konto/logg-inn/"},
    )
    assert response.status == 403
    assert "Innlogging med passord er slått av" in response.text()
    assert "sessionid" not in {c["name"] for c in page.context.cookies()}
