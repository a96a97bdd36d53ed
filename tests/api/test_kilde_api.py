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
