"""Coordinators maintain the programme in the admin; nobody else gets in."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from handlingsprogram.models import User


def admin_urls(user):
    request = RequestFactory().get("/")
    request.user = user
    urls = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(request):  # login records (django-axes) cannot be added by hand
            urls.append(reverse(f"{prefix}_add"))
        obj = model.objects.order_by("pk").first()
        if obj is not None:
            urls.append(reverse(f"{prefix}_change", args=[obj.pk]))
    return urls


def test_coordinator_opens_every_admin_page(client, koordinator, programme):
    client.force_login(koordinator)
    for url in admin_urls(koordinator):
        response = client.get(url)
        assert response.status_code == 200, url


def test_admin_search_and_filters_work(client, koordinator, programme):
    client.force_login(koordinator)
    response = client.get(reverse("admin:tiltak_tiltak_changelist"), {"q": "Erasmus"})
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1
    response = client.get(reverse("admin:tiltak_tiltak_changelist"), {"ansvar__aktoer__id__exact": "1"})
    assert response.status_code == 200


@pytest.mark.parametrize("role", [None, User.Rolle.LESER, User.Rolle.SAKSBEHANDLER])
def test_others_are_kept_out_of_the_admin(client, make_user, enhet_utdanning, role):
    if role:
        client.force_login(make_user(f"user-{role}", role, enhet_utdanning, is_staff=True))
    response = client.get(reverse("admin:tiltak_tiltak_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_coordinator_cannot_grant_superuser(client, koordinator, saksbehandler):
    client.force_login(koordinator)
    response = client.get(reverse("admin:handlingsprogram_user_change", args=[saksbehandler.pk]))
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields


def cookie_texts(cookie_jar):
    """Each cookie's value, and for the messages cookie (signed and compressed, so the key would not show as is)
    the messages in it."""
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest

    for morsel in cookie_jar.values():
        yield morsel.value
        yield str([str(message) for message in CookieStorage(HttpRequest())._decode(morsel.value) or []])


def test_coordinator_gives_a_partner_an_api_key_shown_once_and_revokes_it(client, koordinator, programme):
    from django.contrib.sessions.models import Session

    from handlingsprogram.models import Aktoer, ApiToken

    client.force_login(koordinator)
    aktoer = Aktoer.objects.get(slug="ks")
    response = client.post(
        reverse("admin:handlingsprogram_apitoken_add"), {"navn": "KS' statistikkside", "aktoer": aktoer.pk}
    )
    # The key is in the answer to the POST itself, never in a cookie or the session (the messages framework keeps
    # messages in a signed, not encrypted, cookie), and that answer is not cached.
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert (token.aktoer, token.created_by, token.revoked_at) == (aktoer, koordinator, None)
    key = response.context["key"]
    assert key.startswith(token.prefix) and key not in token.key_hash
    assert f'<code id="api-key">{key}</code>' in response.content.decode()
    change = reverse("admin:handlingsprogram_apitoken_change", args=[token.pk])
    following = client.get(change)
    for cookie_jar in (response.cookies, following.cookies, client.cookies):
        assert all(key not in text for text in cookie_texts(cookie_jar))
    assert all(key not in str(session.get_decoded()) for session in Session.objects.all())
    assert key not in following.content.decode()  # shown once, never again

    client.logout()
    assert client.get(reverse("api:root"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 200

    client.force_login(koordinator)
    changelist = reverse("admin:handlingsprogram_apitoken_changelist")
    client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]})
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.post(reverse("admin:handlingsprogram_apitoken_delete", args=[token.pk])).status_code == 403
    client.logout()
    assert client.get(reverse("api:root"), HTTP_AUTHORIZATION=f"Token {key}").status_code == 401
