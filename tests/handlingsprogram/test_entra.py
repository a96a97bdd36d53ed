"""Entra ID groups decide access, role and unit; the configuration is checked at start-up; allauth's own pages
that come along with the Entra ID login never fail and never offer a password form. (The login itself, against a
real OpenID Connect provider, is in tests/e2e/test_entra_login.py.)"""

import pytest
from django.urls import reverse

from handlingsprogram.models import EntraGruppe, User
from handlingsprogram.selectors import EntraAccess, entra_access
from tests.portal.test_settings import run_manage

pytestmark = pytest.mark.django_db

G1, G2, G3 = (f"0f1e2d3c-aaaa-4bbb-8ccc-00000000000{n}" for n in (1, 2, 3))


def test_the_highest_role_and_the_first_named_unit_win(enhet_utdanning):
    EntraGruppe.objects.create(gruppe_id=G1, navn="B lesere", rolle=User.Rolle.LESER)
    EntraGruppe.objects.create(gruppe_id=G2.upper(), navn="A saksbehandlere", rolle=User.Rolle.SAKSBEHANDLER)
    EntraGruppe.objects.create(gruppe_id=G3, navn="C utdanning", rolle=User.Rolle.LESER, enhet=enhet_utdanning)
    assert entra_access([]) is None
    assert entra_access(["ffffffff-ffff-ffff-ffff-ffffffffffff"]) is None
    assert entra_access([G1]) == EntraAccess(rolle="leser", enhet_id=None)
    assert entra_access([G1, G2]) == EntraAccess(rolle="saksbehandler", enhet_id=None)  # stored lower-case
    assert entra_access([G1.upper(), G2, G3]) == EntraAccess(rolle="saksbehandler", enhet_id=enhet_utdanning.pk)


def test_a_group_id_must_look_like_one(client, koordinator):
    client.force_login(koordinator)
    response = client.post(
        reverse("admin:handlingsprogram_entragruppe_add"), {"gruppe_id": "alle ansatte", "navn": "x", "rolle": "leser"}
    )
    assert response.status_code == 200
    assert "objekt-ID" in response.content.decode()
    assert not EntraGruppe.objects.exists()


def test_allauths_pages_never_fail_and_offer_no_password(client, koordinator):
    paths = [
        "/konto/ekstern/login/",
        "/konto/ekstern/logout/",
        "/konto/ekstern/inactive/",
        "/konto/ekstern/3rdparty/login/cancelled/",
        "/konto/ekstern/3rdparty/login/error/",
        "/konto/ekstern/3rdparty/signup/",
        "/konto/ekstern/3rdparty/",
        "/konto/ekstern/oidc/entra/login/",
        "/konto/ekstern/oidc/entra/login/callback/?code=x&state=y",
        "/konto/ekstern/oidc/finnes-ikke/login/",
    ]
    for logged_in in (False, True):
        if logged_in:
            client.force_login(koordinator)
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 302, 401, 404, 405), (path, response.status_code)
            assert 'type="password"' not in response.content.decode(), path


def test_configuration_mistakes_stop_the_start():
    secret = {"DJANGO_SECRET_KEY": "k" * 60}
    result = run_manage("check", DJANGO_ENTRA_CLIENT_ID="abc", **secret)
    assert result.returncode != 0
    assert "DJANGO_ENTRA_CLIENT_SECRET" in result.stderr
    result = run_manage("check", DJANGO_PASSWORD_LOGIN="false", **secret)
    assert result.returncode != 0
    assert "nobody can log in" in result.stderr
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; a = s.SOCIALACCOUNT_PROVIDERS['openid_connect'];"
        "print(a['APPS'][0]['settings']['server_url'], a['OAUTH_PKCE_ENABLED'], s.SECURE_CSP['form-action'][-1])",
        DJANGO_ENTRA_CLIENT_ID="abc",
        DJANGO_ENTRA_CLIENT_SECRET="def",
        DJANGO_ENTRA_TENANT_ID="11111111-2222-3333-4444-555555555555",
        DJANGO_LOG_FORMAT="text",
        **secret,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [
        "https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0",
        "True",
        "https://login.microsoftonline.com",
    ]
