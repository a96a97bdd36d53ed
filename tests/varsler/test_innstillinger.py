"""The notification preferences page (issue 18): each kind with its choice and the default shown as the default,
saving only what the user changed, bad input refused without a change, the list of what the user follows with
"unfollow", and a fixed number of queries however many notifications and follows there are."""

import pytest
from django.urls import reverse

from handlingsprogram.models import PrioritertOmraade
from nettverk.models import Nettverk
from varsler import services
from varsler.models import DEFAULT_LEVERING, Foelging, Varsel, Varselinnstilling

pytestmark = pytest.mark.django_db

URL = reverse("varsler:innstillinger")


def test_the_page_shows_each_kind_with_the_default_marked(client, saksbehandler):
    client.force_login(saksbehandler)
    page = client.get(URL).content.decode()
    assert "<h1" in page and "Innstillinger for varsler" in page
    assert page.count("<select") == len(Varsel.Kind.choices)
    assert '<label class="ds-label" for="id_kommentar">Kommentar til en oppføring</label>' in page
    assert "Standard: Også i en daglig samle-e-post." in page
    assert '<option value="daglig" selected>Også i en daglig samle-e-post (standard)</option>' in page
    assert "Kontoen din har ingen e-postadresse" in page
    assert "Du følger ingen nettverk eller prioriterte områder." in page
    assert f'href="{URL}"' in client.get(reverse("varsler:list")).content.decode(), "linked from the list"


def test_saving_keeps_only_what_differs_from_the_default(client, saksbehandler):
    client.force_login(saksbehandler)
    data = dict(DEFAULT_LEVERING) | {"kommentar": "app", "tilbakerapportering": "straks"}
    response = client.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    assert set(Varselinnstilling.objects.values_list("kind", "levering")) == {
        ("kommentar", "app"),
        ("tilbakerapportering", "straks"),
    }
    page = client.get(URL).content.decode()
    assert "Innstillingene dine for varsler er lagret." in page
    assert '<option value="app" selected>Bare i portalen</option>' in page


def test_bad_input_is_refused_in_bokmaal_and_changes_nothing(client, saksbehandler):
    client.force_login(saksbehandler)
    response = client.post(URL, dict(DEFAULT_LEVERING) | {"kommentar": "hver-time"})
    assert response.status_code == 200
    assert "Velg et gyldig valg." in response.content.decode()
    response = client.post(URL, {})
    assert "Feltet er påkrevet." in response.content.decode()
    assert not Varselinnstilling.objects.exists()


def test_unfollow_from_the_page_only_ones_own(client, saksbehandler, saksbehandler_annen_enhet, programme):
    nsc = Nettverk.objects.get(slug="nordsjokommisjonen")
    mine = services.foelging_start(user=saksbehandler, followed=nsc)
    theirs = services.foelging_start(user=saksbehandler_annen_enhet, followed=nsc)
    client.force_login(saksbehandler)
    page = client.get(URL).content.decode()
    assert f'href="{nsc.get_absolute_url()}">Nordsjøkommisjonen</a>' in page
    assert client.post(reverse("varsler:foelging_stop", kwargs={"pk": theirs.pk})).status_code == 404
    response = client.post(reverse("varsler:foelging_stop", kwargs={"pk": mine.pk}))
    assert response.status_code == 302
    assert list(Foelging.objects.all()) == [theirs]
    assert "Du følger ikke lenger Nordsjøkommisjonen." in client.get(URL).content.decode()


@pytest.mark.parametrize("rows", [3, 12])
def test_page_queries_are_constant(client, saksbehandler, programme, rows, django_assert_num_queries):
    for nettverk in Nettverk.objects.order_by("pk")[:rows]:
        services.foelging_start(user=saksbehandler, followed=nettverk)
    for area in PrioritertOmraade.objects.filter(handlingsprogram=programme)[:3]:
        services.foelging_start(user=saksbehandler, followed=area)
    services.varsler_create(
        users=[saksbehandler] * 1, kind=Varsel.Kind.KOMMENTAR, text="x", link="/"
    )  # the header's unread count
    for i in range(rows):
        Varsel.objects.create(user=saksbehandler, kind=Varsel.Kind.KOMMENTAR, text=f"Varsel {i}")
    client.force_login(saksbehandler)
    # session, user, preferences, follows, networks followed, areas followed (with their programme), the demo
    # banner, the unread count
    with django_assert_num_queries(8):
        assert client.get(URL).status_code == 200
    # the list: as before (tests/varsler/test_varsler.py), whatever the number of follows and preferences
    with django_assert_num_queries(6):
        assert client.get(reverse("varsler:list")).status_code == 200
