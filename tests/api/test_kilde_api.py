"""The API says where each programme fact comes from, beside the fields partners already read."""

from django.urls import reverse
from django.utils import timezone

from tests.conftest import PROGRAMME_SLUG
from tiltak.models import Tiltak


def tiltak_212(client):
    return client.get(reverse("api:tiltak-detail", kwargs={"program": PROGRAMME_SLUG, "kode": "2.1.2"})).json()


def test_ansvar_separates_the_stated_actor_from_the_inferred_unit_and_role(client, programme):
    data = tiltak_212(client)
    ks = next(item for item in data["ansvar"] if item["aktoer"] == "ks")
    assert ks["kilde"] == {
        "type": "dokument",
        "referanse": "kap. 2.2, TILTAK",
        "begrunnelse": "",
        "registrert_av": None,
        "registrert": None,
    }
    assert ks["rolle_kilde"]["type"] == "utledet" and ks["rolle_kilde"]["begrunnelse"]
    assert ks["enhet_kilde"] is None and ks["utledet"] is True
    trfk = next(item for item in data["ansvar"] if item["enhet"])
    assert trfk["enhet_kilde"]["type"] == "utledet"
    assert data["kilde"]["referanse"] == "kap. 2.2, TILTAK"


def test_links_carry_their_source_and_only_portal_users_see_who_recorded_one(client, programme, koordinator):
    tiltak = Tiltak.objects.by_code(programme, "1.1.2").get()
    kilde = tiltak.kilder.filter(field_name="maal").order_by("related_id").first()
    kilde.type, kilde.reasoning, kilde.recorded_by, kilde.recorded_at = "person", "", koordinator, timezone.now()
    kilde.save()
    url = reverse("api:tiltak-detail", kwargs={"program": PROGRAMME_SLUG, "kode": "1.1.2"})

    data = client.get(url).json()
    assert [item["id"] for item in data["maal_kilder"]] == data["maal"]
    person = [item["kilde"] for item in data["maal_kilder"] if item["kilde"]["type"] == "person"]
    assert len(person) == 1 and person[0]["registrert_av"] is None and person[0]["registrert"]

    client.force_login(koordinator)
    data = client.get(url).json()
    person = [item["kilde"] for item in data["maal_kilder"] if item["kilde"]["type"] == "person"]
    assert person[0]["registrert_av"] == (koordinator.get_full_name() or koordinator.username)


def test_areas_networks_and_memberships_carry_their_sources(client, programme):
    area = client.get(reverse("api:omraade-list")).json()["results"][0]
    assert area["kilde"]["referanse"] == "kap. 2.1"
    assert [item["id"] for item in area["baerekraftsmaal_kilder"]] == [str(n) for n in area["baerekraftsmaal"]]
    assert {item["kilde"]["type"] for item in area["baerekraftsmaal_kilder"]} == {"utledet"}  # icons lost

    naboer = client.get(reverse("api:nettverk-detail", kwargs={"slug": "naboer-ab"})).json()
    assert naboer["kilde"]["referanse"] == "Vedlegg 3"
    assert [item["id"] for item in naboer["tiltak_kilder"]] == naboer["tiltak"]
    assert naboer["tiltak_kilder"][0]["kilde"]["referanse"] == "kap. 2.4, TILTAK"
    levels = {(m["rolle"], m["nivaa"]): m["nivaa_kilde"] for m in naboer["medlemskap"]}
    assert levels[("styre", "politisk")]["type"] == "dokument"
    assert levels[("eier", "ikke_oppgitt")] is None

    memberships = client.get(reverse("api:medlemskap-list"), {"page_size": 500}).json()["results"]
    assert all(m["kilde"] is not None for m in memberships)
    assert sum(m["nivaa"] == "ikke_oppgitt" for m in memberships) == 40
