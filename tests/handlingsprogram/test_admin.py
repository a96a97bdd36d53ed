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
    response = client.get(reverse("admin:tiltak_tiltak_changelist"), {"ansvar__utledet__exact": "1"})
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


def test_coordinator_gives_a_partner_an_api_key_shown_once_and_revokes_it(client, koordinator, programme):
    from django.contrib.messages import get_messages

    from handlingsprogram.models import Aktoer, ApiToken

    client.force_login(koordinator)
    aktoer = Aktoer.objects.get(slug="ks")
    response = client.post(
        reverse("admin:handlingsprogram_apitoken_add"), {"navn": "KS' statistikkside", "aktoer": aktoer.pk}
    )
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert (token.aktoer, token.created_by, token.revoked_at) == (aktoer, koordinator, None)
    shown = [str(m) for m in get_messages(response.wsgi_request) if "Nøkkelen for" in str(m)]
    assert len(shown) == 1
    key = shown[0].split(" er ", 1)[1].split(" ", 1)[0]
    assert key.startswith(token.prefix) and key not in token.key_hash
    change = reverse("admin:handlingsprogram_apitoken_change", args=[token.pk])
    assert key in client.get(change).content.decode()  # the message, on the page after saving
    assert key not in client.get(change).content.decode()  # and never again

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
