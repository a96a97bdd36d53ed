"""The API says where each programme fact comes from, beside the fields partners already read."""

from django.urls import reverse
from django.utils import timezone

from handlingsprogram.models import Aktoer, Finansieringsprogram, Innsatsomraade, Styringsdokument
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


def _inferred(fact, reasoning="Inferred for the test.") -> None:
    """Make the row's own source an inference, as the loader records one where the document is silent."""
    kilde = fact.kilder.get(field_name="", related_id=None)
    kilde.type, kilde.reference, kilde.reasoning = "utledet", "", reasoning
    kilde.save()


def test_focus_areas_carry_their_source(client, programme):
    innsats = Innsatsomraade.objects.get(omraade__handlingsprogram=programme, omraade__nummer=2, nummer=1)
    url = reverse("api:innsatsomraade-detail", kwargs={"program": PROGRAMME_SLUG, "kode": "2.1"})
    stated = client.get(url).json()["kilde"]
    assert stated["type"] == "dokument" and stated["referanse"]
    _inferred(innsats)
    assert client.get(url).json()["kilde"]["begrunnelse"] == "Inferred for the test."
    listed = client.get(reverse("api:innsatsomraade-list"), {"page_size": 500}).json()["results"]
    assert all(item["kilde"] is not None for item in listed)


def test_actors_and_their_units_carry_their_sources(client, programme):
    listed = client.get(reverse("api:aktoer-list"), {"page_size": 500}).json()["results"]
    assert all(item["kilde"]["type"] == "dokument" for item in listed)
    with_unit = next(item for item in listed if item["enheter"])
    assert with_unit["enheter"][0]["kilde"]["type"] == "dokument"
    aktoer = Aktoer.objects.get(slug=with_unit["slug"])
    _inferred(aktoer)
    _inferred(aktoer.enheter.order_by("navn").first(), "A unit inferred.")
    data = client.get(reverse("api:aktoer-detail", kwargs={"slug": aktoer.slug})).json()
    assert data["kilde"]["type"] == "utledet" and data["enheter"][0]["kilde"]["begrunnelse"] == "A unit inferred."


def test_governing_documents_and_their_goals_carry_their_sources(client, programme):
    listed = client.get(reverse("api:styringsdokument-list"), {"page_size": 500}).json()["results"]
    assert all(item["kilde"]["type"] == "dokument" for item in listed)
    document = next(item for item in listed if item["maal"])
    assert document["maal"][0]["kilde"]["type"] == "dokument"
    styringsdokument = Styringsdokument.objects.get(slug=document["slug"])
    _inferred(styringsdokument)
    _inferred(styringsdokument.maal.order_by("nummer").first(), "A goal inferred.")
    data = client.get(reverse("api:styringsdokument-detail", kwargs={"slug": document["slug"]})).json()
    assert data["kilde"]["type"] == "utledet" and data["maal"][0]["kilde"]["begrunnelse"] == "A goal inferred."


def test_funding_programmes_carry_their_source(client, programme):
    listed = client.get(reverse("api:finansieringsprogram-list"), {"page_size": 500}).json()["results"]
    assert all(item["kilde"]["type"] == "dokument" and item["kilde"]["referanse"] for item in listed)
    _inferred(Finansieringsprogram.objects.get(slug=listed[0]["slug"]))
    data = client.get(reverse("api:finansieringsprogram-detail", kwargs={"slug": listed[0]["slug"]})).json()
    assert data["kilde"]["type"] == "utledet"


def test_indicators_carry_the_source_of_the_row_and_of_the_baseline(client, programme):
    listed = client.get(reverse("api:indikator-list"), {"page_size": 500}).json()["results"]
    assert {item["kilde"]["type"] for item in listed} == {"utledet"}  # the document sets no indicators
    by_name = {item["navn"]: item for item in listed}
    abroad = next(item for name, item in by_name.items() if name.startswith("Elever som tar Vg2 i utlandet"))
    assert abroad["basis_verdi_kilde"]["type"] == "dokument"
    assert abroad["basis_aar_kilde"]["type"] == "utledet" and "2019" in abroad["basis_aar_kilde"]["begrunnelse"]
    erasmus = next(item for name, item in by_name.items() if name.startswith("Erasmus+-midler til mobilitet"))
    assert erasmus["basis_aar_kilde"]["referanse"] == "kap. 2.2 Utdanning og kompetanse"
    detail = client.get(reverse("api:indikator-detail", kwargs={"pk": abroad["id"]})).json()
    assert detail["basis_aar_kilde"] == abroad["basis_aar_kilde"]
