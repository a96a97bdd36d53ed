"""The coordinators' review list «Utledet – til kontroll»: what it lists, its actions through the browser's
forms, its refusals, and a query count that does not grow with the facts. Who may open it: tests/test_url_roles.py."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from handlingsprogram.models import Baerekraftsmaal, Kilde, Maal
from nettverk.models import Medlemskap, Nettverk
from tiltak.models import Ansvar

pytestmark = pytest.mark.django_db

URL = reverse("portal:kilde_review")


def inferred(fact, field_name="", related_id=None, reasoning="Utledet fordi …"):
    kilde, _ = Kilde.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(fact),
        object_id=fact.pk,
        field_name=field_name,
        related_id=related_id,
        defaults={"type": Kilde.Type.UTLEDET, "reasoning": reasoning, "reference": ""},
    )
    return kilde


def page_of(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def facts(programme, tiltak_212):
    """Inferred facts of four kinds: ansvar units, area SDG links, a tiltak's goal links, membership levels."""
    Kilde.objects.filter(type=Kilde.Type.UTLEDET).delete()
    made = {"ansvar": [], "sdg": [], "maal": [], "nivaa": []}
    for ansvar in tiltak_212.ansvar.filter(enhet__isnull=False):
        made["ansvar"].append(inferred(ansvar, "enhet", reasoning=f"Enheten for {ansvar.aktoer.navn}."))
    omraade = programme.omraader.get(nummer=2)
    for sdg in Baerekraftsmaal.objects.order_by("nummer")[:3]:
        omraade.baerekraftsmaal.add(sdg)
        made["sdg"].append(inferred(omraade, "baerekraftsmaal", sdg.pk, reasoning=f"Ikonet for mål {sdg.nummer}."))
    for maal in Maal.objects.order_by("pk")[:3]:
        tiltak_212.maal.add(maal)
        made["maal"].append(inferred(tiltak_212, "maal", maal.pk, reasoning="Samme ord som målet."))
    for medlemskap in Medlemskap.objects.order_by("pk")[:3]:
        made["nivaa"].append(inferred(medlemskap, "nivaa", reasoning="Ikke oppgitt; administrativt antatt."))
    return made


def test_the_list_shows_each_fact_readably_with_its_reasoning_and_place(client, koordinator, facts, tiltak_212):
    client.force_login(koordinator)
    page = page_of(client.get(URL))
    total = sum(len(v) for v in facts.values())
    assert f"{total} utledede opplysninger gjenstår å kontrollere." in page
    for heading in ("Ansvar · enhet", "Prioritert område · bærekraftsmål", "Tiltak · mål", "Medlemskap · nivå"):
        assert heading in page
    ansvar = Ansvar.objects.select_related("aktoer", "enhet").get(pk=facts["ansvar"][0].object_id)
    assert f'Tiltak {tiltak_212.kode} · Ansvar (<span lang="nb">{ansvar.aktoer.navn}</span>)' in page
    assert f'Enhet: <span class="portal-kilde-review__value" lang="nb">{ansvar.enhet.navn}' in page
    assert f'href="{tiltak_212.get_absolute_url()}"' in page
    assert "Ikonet for mål 1." in page and "Samme ord som målet." in page
    assert page.count(">Bekreft</button>") == total
    assert page.count(">Rett</a>") == total


def test_the_list_runs_a_constant_number_of_queries(client, koordinator, facts, programme, django_assert_num_queries):
    client.force_login(koordinator)
    client.get(URL)  # warm up the content type cache

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    before = count()
    for medlemskap in Medlemskap.objects.order_by("pk")[3:8]:
        inferred(medlemskap, "nivaa")
    omraade = programme.omraader.get(nummer=3)
    for sdg in Baerekraftsmaal.objects.order_by("nummer")[5:9]:
        omraade.baerekraftsmaal.add(sdg)
        inferred(omraade, "baerekraftsmaal", sdg.pk)
    with django_assert_num_queries(before):
        response = client.get(URL)
    assert response.context["count"] == sum(len(v) for v in facts.values()) + 5 + 4


def test_confirming_through_the_list(client, koordinator, facts):
    client.force_login(koordinator)
    kilde = facts["ansvar"][0]
    response = client.post(reverse("portal:kilde_confirm", kwargs={"pk": kilde.pk}), follow=True)
    assert "Bekreftet." in page_of(response)
    kilde.refresh_from_db()
    assert (kilde.type, kilde.recorded_by) == (Kilde.Type.PERSON, koordinator)
    assert f'id="kilde-{kilde.pk}"' not in page_of(response)
    # The same button again (a second tab, a double click): a clear message, nothing changes.
    recorded_at = kilde.recorded_at
    response = client.post(reverse("portal:kilde_confirm", kwargs={"pk": kilde.pk}), follow=True)
    assert "allerede bekreftet, rettet eller fjernet" in page_of(response)
    kilde.refresh_from_db()
    assert kilde.recorded_at == recorded_at


def test_unknown_ids_are_refused_without_an_error(client, koordinator, facts):
    client.force_login(koordinator)
    for name in ("portal:kilde_confirm", "portal:kilde_correct"):
        response = client.post(reverse(name, kwargs={"pk": 10**9}), follow=True)
        assert response.status_code == 200
        assert "allerede bekreftet, rettet eller fjernet" in page_of(response)
    assert client.post("/oversikt/utledet/abc/bekreft/").status_code == 404


def test_correcting_a_unit_through_the_form(client, koordinator, facts):
    client.force_login(koordinator)
    kilde = facts["ansvar"][0]
    ansvar = Ansvar.objects.get(pk=kilde.object_id)
    url = reverse("portal:kilde_correct", kwargs={"pk": kilde.pk})
    page = page_of(client.get(url))
    assert f'<option value="{ansvar.enhet_id}" selected lang="nb">' in page  # the form starts from the fact as it is
    other = ansvar.aktoer.enheter.exclude(pk=ansvar.enhet_id).first()
    # Only the units of the ansvar's own actor are offered (and "no unit").
    assert page.count("<option ") == ansvar.aktoer.enheter.count() + 1
    response = client.post(url, {"value": "abc"})
    assert response.status_code == 400 and "Velg et gyldig valg" in page_of(response)
    ansvar.refresh_from_db()
    kilde.refresh_from_db()
    assert kilde.type == Kilde.Type.UTLEDET
    response = client.post(url, {"value": other.pk}, follow=True)
    assert "Rettet." in page_of(response)
    ansvar.refresh_from_db()
    kilde.refresh_from_db()
    assert ansvar.enhet == other and kilde.type == Kilde.Type.PERSON


def test_removing_and_replacing_links_through_the_form(client, koordinator, facts, programme):
    client.force_login(koordinator)
    remove, replace = facts["sdg"][0], facts["sdg"][1]
    omraade = programme.omraader.get(nummer=2)
    client.post(reverse("portal:kilde_correct", kwargs={"pk": remove.pk}), {"action": "remove"})
    assert not omraade.baerekraftsmaal.filter(pk=remove.related_id).exists()
    url = reverse("portal:kilde_correct", kwargs={"pk": replace.pk})
    response = client.post(url, {"action": "replace"})  # no target chosen
    assert response.status_code == 400 and "Velg hva koblingen skal peke til i stedet." in page_of(response)
    target = Baerekraftsmaal.objects.get(nummer=17)
    client.post(url, {"action": "replace", "target": target.pk})
    assert omraade.baerekraftsmaal.filter(pk=target.pk).exists()
    assert not omraade.baerekraftsmaal.filter(pk=replace.related_id).exists()


def test_the_dashboard_says_how_many_remain_to_coordinators_only(client, koordinator, saksbehandler, facts):
    client.force_login(koordinator)
    total = sum(len(v) for v in facts.values())
    page = page_of(client.get(reverse("portal:dashboard")))
    assert f"Utledet – til kontroll: {total} opplysninger" in page and f'href="{URL}"' in page
    client.force_login(saksbehandler)
    assert "Utledet – til kontroll" not in client.get(reverse("portal:dashboard")).content.decode()


def test_a_network_link_is_listed_with_its_network(client, koordinator, tiltak_212):
    nettverk = Nettverk.objects.order_by("pk").first()
    nettverk.tiltak.add(tiltak_212)
    inferred(nettverk, "tiltak", tiltak_212.pk, reasoning="Nevnt i samme avsnitt.")
    client.force_login(koordinator)
    page = page_of(client.get(URL))
    assert "Nettverk · tiltak" in page
    assert f'Nettverk <span lang="nb">{nettverk.navn}</span>' in page and "Nevnt i samme avsnitt." in page
