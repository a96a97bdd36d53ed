"""The final evaluation (sluttevaluering, issue 16): creating it when the period ends, the coordinators' texts and
recommendations, the whole period's content, who may do what, the PDF read back, approval freezing it, and that
neither a rollover nor an adoption changes an approved evaluation."""

import copy
import datetime
import hashlib
import io

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from handlingsprogram.models import Handlingsprogram
from rapportering import evaluation_rendering, selectors, services
from rapportering.models import Aarsrapport, PdfGenerering, Sluttevaluering, SluttevalueringTiltak
from tiltak import rullering_services
from tiltak.models import Tiltak

from .conftest import get_tiltak, indikator, pdf_text, prosjekt, report, verdi

pytestmark = pytest.mark.django_db

# The evaluation's content: each year's status of the tiltak (4); areas, their SDGs, innsatsområder, tiltak, ansvar
# and the ansvar's sources (6); where the tiltak went (2); indikatorer + values (2); funding per programme, year,
# area and the missing rates (4); participation per year (4); demo data? (1); the approved annual reports (1).
# Whatever the number of tiltak, statusmeldinger, projects, meetings or reports.
CONTENT_QUERIES = 24


def all_tiltak(content):
    return {t["kode"]: t for a in content["omraader"] for i in a["innsatsomraader"] for t in i["tiltak"]}


@pytest.fixture
def draft(programme, koordinator):
    services.sluttevaluering_create(programme=programme, user=koordinator)
    return selectors.sluttevaluering_for(programme=programme)


def update(draft, user, **overrides):
    programme = draft.handlingsprogram
    arguments = {
        "overall_assessment": "Programmet har virket.",
        "programme_recommendation": "rulleres",
        "programme_reasoning": "Det meste bør videreføres.",
        "fu_meeting_date": datetime.date(2023, 12, 12),
        "fu_saksnummer": "23/04567",
        "omraader": {o.pk: f"Område {o.nummer} gikk godt." for o in programme.omraader.all()},
        "tiltak": {
            get_tiltak(programme, "2.1.2").pk: ("endres", "Smalere mål."),
            get_tiltak(programme, "1.1.1").pk: ("avsluttes", ""),
        },
    }
    arguments.update(overrides)
    return services.sluttevaluering_update(sluttevaluering=draft, user=user, **arguments)


def approved_aarsrapport(programme, user, year, vurderinger):
    """An approved annual report as approval leaves it (its PDF is not what the evaluation reads)."""
    return Aarsrapport.objects.create(
        handlingsprogram=programme,
        aar=year,
        status=Aarsrapport.Status.GODKJENT,
        approved_at=timezone.now(),
        approved_by=user,
        frozen_content={"content": {}, "editorial": {"sammendrag": f"Sammendrag {year}", "vurderinger": vurderinger}},
        pdf_sha256="a" * 64,
    )


# --- Creating and editing ------------------------------------------------------------------------------------


def test_created_only_from_the_last_year_of_the_period(programme, koordinator):
    with pytest.raises(ValidationError) as error:
        services.sluttevaluering_create(programme=programme, user=koordinator, today=datetime.date(2022, 6, 1))
    assert "programmets siste år, 2023" in " ".join(error.value.messages)
    assert not Sluttevaluering.objects.exists()
    services.sluttevaluering_create(programme=programme, user=koordinator, today=datetime.date(2023, 1, 2))
    with pytest.raises(ValidationError):
        services.sluttevaluering_create(programme=programme, user=koordinator)
    assert Sluttevaluering.objects.count() == 1


def test_only_coordinators_create_and_edit(programme, saksbehandler, draft):
    with pytest.raises(PermissionDenied):
        services.sluttevaluering_create(programme=programme, user=saksbehandler)
    with pytest.raises(PermissionDenied):
        update(draft, saksbehandler)


def test_texts_and_recommendations_are_saved_with_history(draft, koordinator, programme):
    update(draft, koordinator)
    saved = selectors.sluttevaluering_for(programme=programme)
    editorial = selectors.evaluation_editorial(saved)
    assert editorial["samlet_vurdering"] == "Programmet har virket."
    assert editorial["programanbefaling"] == "rulleres"
    assert editorial["omraader"]["2"] == "Område 2 gikk godt."
    assert editorial["tiltak"] == {
        "2.1.2": {"anbefaling": "endres", "kommentar": "Smalere mål."},
        "1.1.1": {"anbefaling": "avsluttes", "kommentar": ""},
    }
    assert saved.history.count() == 2  # created, then edited
    assert SluttevalueringTiltak.history.count() == 2
    # Saving the same again adds no history to the unchanged rows.
    update(draft, koordinator)
    assert SluttevalueringTiltak.history.count() == 2


def test_bad_recommendation_or_foreign_tiltak_changes_nothing(draft, koordinator, programme):
    update(draft, koordinator)
    with pytest.raises(ValidationError):
        update(draft, koordinator, overall_assessment="Ny", tiltak={get_tiltak(programme, "2.1.2").pk: ("tull", "")})
    other = Handlingsprogram.objects.create(navn="Annet", slug="annet", start_year=2024, end_year=2027)
    with pytest.raises(ValidationError):
        update(draft, koordinator, overall_assessment="Ny", tiltak={-1: ("endres", "")})
    assert other.pk
    assert selectors.sluttevaluering_for(programme=programme).overall_assessment == "Programmet har virket."


# --- The content -------------------------------------------------------------------------------------------------


def test_content_covers_the_whole_period(programme, koordinator, saksbehandler, draft):
    from nettverk.models import Deltagelse, Nettverk

    t212 = get_tiltak(programme, "2.1.2")
    report(t212, saksbehandler, datetime.date(2020, 5, 1), "paagaar", "i_rute", "Start")
    report(t212, saksbehandler, datetime.date(2022, 5, 1), "utsatt", "risiko", "Utsatt")
    report(t212, saksbehandler, datetime.date(2023, 10, 1), "fullfoert", "i_rute", "Ferdig")
    ind = indikator(programme, "Erasmus+-midler til mobilitet innen yrkesfag (TRFK og de videregående skolene)")
    verdi(ind, 2021, 950_000, koordinator)
    verdi(ind, 2023, 1_200_000, koordinator)
    prosjekt(programme, start=datetime.date(2021, 3, 1), innvilget=100_000, tiltak=("2.1.2",))
    prosjekt(programme, start=datetime.date(2023, 3, 1), innvilget=50_000)
    nettverk = Nettverk.objects.first()
    Deltagelse.objects.create(
        nettverk=nettverk,
        tittel="Årsmøte",
        start=datetime.date(2022, 6, 1),
        nivaa="politisk",
        status="rapportert",
        reported_at=timezone.now(),
        referat="Referat",
        laering="Vi lærte å samarbeide tidlig.",
        created_by=koordinator,
    )
    approved_aarsrapport(programme, koordinator, 2021, {"2": "Utdanning gikk godt i 2021."})

    content = selectors.evaluation_live_document(sluttevaluering=draft)["content"]
    assert content["kind"] == "sluttevaluering"
    assert content["aar"] == [2020, 2021, 2022, 2023]
    tiltak = all_tiltak(content)
    assert len(tiltak) == 45
    assert [y["status"] for y in tiltak["2.1.2"]["aar"]] == ["paagaar", "paagaar", "utsatt", "fullfoert"]
    assert tiltak["2.1.2"]["slutt"]["status"] == "fullfoert"
    assert [y["status"] for y in tiltak["1.1.1"]["aar"]] == [None, None, None, None]
    row = next(r for r in content["resultater"]["indikatorer"] if r["navn"] == ind.navn)
    assert row["siste_aar"] == 2023 and row["siste_verdi"] == "1200000.00"
    assert content["finansiering"]["total_antall"] == 2
    assert content["finansiering"]["total_nok"] == "150000.00"
    assert [(r["aar"], r["sum_nok"]) for r in content["finansiering"]["by_year"]] == [
        (2021, "100000.00"),
        (2023, "50000.00"),
    ]
    (network,) = content["deltagelse"]["nettverk"]
    assert network["nettverk"] == nettverk.navn
    assert [(y["aar"], y["politisk"]) for y in network["per_aar"]] == [(2020, 0), (2021, 0), (2022, 1), (2023, 0)]
    assert network["laerdom"][0]["laering"] == "Vi lærte å samarbeide tidlig."
    assert content["aarsrapporter"] == [
        {
            "aar": 2021,
            "versjon": 1,
            "godkjent": timezone.now().date().isoformat(),
            "pdf_sha256": "a" * 64,
            "sammendrag": "Sammendrag 2021",
            "vurderinger": {"2": "Utdanning gikk godt i 2021."},
        }
    ]
    assert content["demo"] is False
    html = evaluation_rendering.render_html(selectors.evaluation_live_document(sluttevaluering=draft))
    assert "Utdanning gikk godt i 2021." in html
    assert "Vi lærte å samarbeide tidlig." in html


def test_demo_and_inferred_values_are_marked(programme, koordinator, draft):
    t = get_tiltak(programme, "3.1.1")
    report(t, koordinator, datetime.date(2021, 5, 1), "paagaar", "i_rute", "Demo", demo=True)
    document = selectors.evaluation_live_document(sluttevaluering=draft)
    assert document["content"]["demo"] is True
    assert all_tiltak(document["content"])["3.1.1"]["aar"][1]["demo"] is True
    html = evaluation_rendering.render_html(document)
    assert "data-demo-report" in html
    assert "(Demo)" in html
    assert any(a["utledet"] for t in all_tiltak(document["content"]).values() for a in t["ansvar"])
    assert "(utledet)" in html


def test_content_query_count_does_not_grow_with_rows(
    programme, koordinator, saksbehandler, draft, django_assert_num_queries
):
    from nettverk.models import Deltagelse, Nettverk

    prosjekt(programme, start=datetime.date(2021, 2, 1), innvilget=100_000)
    with django_assert_num_queries(CONTENT_QUERIES):
        selectors.evaluation_live_document(sluttevaluering=draft)
    for code in ["1.1.1", "2.1.2", "3.1.1", "4.1.1"]:
        for year in (2020, 2022):
            report(get_tiltak(programme, code), saksbehandler, datetime.date(year, 4, 1), "paagaar", "i_rute", "x")
        prosjekt(programme, start=datetime.date(2022, 2, 1), innvilget=10_000, tiltak=(code,))
    for nettverk in Nettverk.objects.all()[:3]:
        Deltagelse.objects.create(
            nettverk=nettverk,
            tittel="Møte",
            start=datetime.date(2021, 3, 1),
            nivaa="administrativ",
            status="rapportert",
            reported_at=timezone.now(),
            laering="Lærdom",
            created_by=koordinator,
        )
    approved_aarsrapport(programme, koordinator, 2020, {})
    approved_aarsrapport(programme, koordinator, 2021, {"1": "x"})
    update(draft, koordinator)
    draft = selectors.sluttevaluering_for(programme=programme)
    with django_assert_num_queries(CONTENT_QUERIES):
        selectors.evaluation_live_document(sluttevaluering=draft)


def test_preview_query_count_is_constant_in_rows(client, programme, koordinator, saksbehandler, draft):
    client.force_login(koordinator)
    url = reverse("rapportering:sluttevaluering_preview", kwargs={"program": programme.slug})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for code in ["1.1.1", "2.1.2", "3.1.1", "4.1.1", "4.2.1"]:
        report(get_tiltak(programme, code), saksbehandler, datetime.date(2021, 4, 1), "paagaar", "i_rute", "x")
        prosjekt(programme, start=datetime.date(2022, 2, 1), innvilget=10_000, tiltak=(code,))
    update(draft, koordinator)
    with CaptureQueriesContext(connection) as after:
        assert client.get(url).status_code == 200
    assert len(after.captured_queries) == len(before.captured_queries)


# --- Pages and permissions ---------------------------------------------------------------------------------------


PAGES = ["sluttevaluering", "sluttevaluering_preview", "sluttevaluering_edit", "sluttevaluering_approve"]


def url(name, programme):
    return reverse(f"rapportering:{name}", kwargs={"program": programme.slug})


def test_draft_pages_by_role(client, programme, draft, koordinator, saksbehandler, leser):
    # Anonymous: sent to log in everywhere (the draft is not public).
    for name in [*PAGES, "sluttevaluering_pdf"]:
        response = client.get(url(name, programme))
        assert response.status_code == 302, name
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), name
    # A reader may not see the draft.
    client.force_login(leser)
    for name in PAGES:
        assert client.get(url(name, programme)).status_code == 403, name
    # Staff (case officers) read the draft but do not edit or approve it.
    client.force_login(saksbehandler)
    assert client.get(url("sluttevaluering", programme)).status_code == 200
    assert client.get(url("sluttevaluering_preview", programme)).status_code == 200
    for name in ["sluttevaluering_edit", "sluttevaluering_approve", "sluttevaluering_create"]:
        assert client.get(url(name, programme)).status_code == 403, name
    assert client.post(url("sluttevaluering_generate", programme)).status_code == 403
    # Coordinators do all of it.
    client.force_login(koordinator)
    for name in PAGES:
        assert client.get(url(name, programme)).status_code == 200, name
    response = client.get(url("sluttevaluering_pdf", programme))
    assert response.status_code == 302  # a draft has no stored PDF


def test_anonymous_gets_404_before_an_evaluation_exists_and_coordinator_is_offered_one(client, programme, koordinator):
    assert client.get(url("sluttevaluering", programme)).status_code == 404
    client.force_login(koordinator)
    response = client.get(url("sluttevaluering", programme))
    assert response.status_code == 302 and response["Location"] == url("sluttevaluering_create", programme)
    list_page = client.get(reverse("rapportering:list", kwargs={"program": programme.slug}))
    assert url("sluttevaluering_create", programme).encode() in list_page.content
    response = client.post(url("sluttevaluering_create", programme))
    assert response.status_code == 302 and response["Location"] == url("sluttevaluering_edit", programme)


def test_create_refused_with_a_message_before_the_last_year(client, koordinator):
    future = Handlingsprogram.objects.create(navn="Framtid", slug="framtid", start_year=2090, end_year=2093)
    client.force_login(koordinator)
    assert b"create-not-yet" in client.get(url("sluttevaluering_create", future)).content
    response = client.post(url("sluttevaluering_create", future))
    assert response.status_code == 400
    assert "programmets siste år, 2093" in response.content.decode()
    assert not Sluttevaluering.objects.exists()


def test_edit_form_saves_every_tiltak_recommendation(client, programme, draft, koordinator):
    client.force_login(koordinator)
    page = client.get(url("sluttevaluering_edit", programme))
    assert page.content.decode().count("data-tiltak=") == 45
    tiltak = list(Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme))
    data = {
        "overall_assessment": "Samlet.",
        "programme_recommendation": "rulleres_ikke",
        "programme_reasoning": "Fordi.",
        "fu_meeting_date": "12.12.2023",
        "fu_saksnummer": "23/1",
    }
    data |= {f"omraade_{o.pk}": f"O{o.nummer}" for o in programme.omraader.all()}
    data |= {f"anbefaling_{t.pk}": "viderefoeres" for t in tiltak}
    data |= {f"kommentar_{t.pk}": f"K {t.pk}" for t in tiltak}
    response = client.post(url("sluttevaluering_edit", programme), data)
    assert response.status_code == 302
    assert SluttevalueringTiltak.objects.filter(sluttevaluering=draft, recommendation="viderefoeres").count() == 45
    # Bad input: a clear message, nothing changed.
    response = client.post(url("sluttevaluering_edit", programme), data | {f"anbefaling_{tiltak[0].pk}": "tull"})
    assert response.status_code == 400
    assert "gyldig" in response.content.decode()
    assert Sluttevaluering.objects.get().programme_recommendation == "rulleres_ikke"


# --- Approval, the PDF, and rollover ----------------------------------------------------------------------------


def _outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles += _outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_approval_through_the_worker_freezes_and_the_pdf_reads_back(
    client, programme, draft, koordinator, saksbehandler
):
    report(get_tiltak(programme, "2.1.2"), saksbehandler, datetime.date(2022, 4, 1), "paagaar", "i_rute", "Arbeid")
    update(draft, koordinator)
    client.force_login(koordinator)
    response = client.post(url("sluttevaluering_approve", programme))
    generering = PdfGenerering.objects.get(sluttevaluering=draft)
    assert response["Location"] == generering.get_absolute_url()
    assert generering.status == PdfGenerering.Status.FERDIG, generering.feilmelding
    assert generering.aarsrapport_id is None
    assert client.get(generering.get_absolute_url()).status_code == 200

    approved = Sluttevaluering.objects.get()
    assert approved.status == "godkjent" and approved.frozen_content["content"]["kind"] == "sluttevaluering"
    client.logout()
    served = b"".join(client.get(url("sluttevaluering_pdf", programme)).streaming_content)
    assert hashlib.sha256(served).hexdigest() == approved.pdf_sha256
    assert client.get(url("sluttevaluering", programme)).status_code == 200  # public now

    reader = PdfReader(io.BytesIO(served))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "nb"
    assert reader.metadata.title == evaluation_rendering.title(approved.frozen_content)
    titles = _outline_titles(reader.outline)
    for chapter in [
        "Samlet vurdering",
        "Alle tiltak i korte trekk",
        "Resultater",
        "Internasjonale prosjekter og finansiering",
        "Deltagelse på internasjonale arenaer",
        "Hva årsrapportene sa",
        "Anbefaling for programmet",
    ]:
        assert chapter in titles, chapter
    for nummer, navn in programme.omraader.values_list("nummer", "navn"):
        assert f"{nummer}. {navn}" in titles
    text = pdf_text(served)
    for t in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme):
        assert t.kode in text, t.kode
    assert "Smalere mål." in text
    assert "Programmet har virket." in text

    # Approved: no more edits, not even through the service.
    with pytest.raises(ValidationError):
        update(approved, koordinator)
    client.force_login(koordinator)
    assert client.get(url("sluttevaluering_edit", programme)).status_code == 302


def test_an_approved_evaluation_is_unchanged_by_roll_over_and_adoption(client, programme, draft, koordinator):
    update(draft, koordinator)
    approved = services.sluttevaluering_approve(sluttevaluering=draft, user=koordinator)
    frozen, sha = copy.deepcopy(approved.frozen_content), approved.pdf_sha256

    successor = rullering_services.programme_roll_over(
        user=koordinator, programme=programme, navn="Neste", slug="neste", start_year=2024, end_year=2027
    )
    rullering_services.tiltak_rullering_decide(
        user=koordinator, rullering=get_tiltak(programme, "2.1.2").rullering, decision="avsluttet", reason="Ferdig."
    )
    rullering_services.programme_adopt(
        user=koordinator, programme=successor, decided_on=datetime.date(2023, 12, 12), case_number="PS 23/145"
    )

    after = Sluttevaluering.objects.get(pk=approved.pk)
    assert after.frozen_content == frozen
    assert after.pdf_sha256 == sha
    assert after.approved_at == approved.approved_at
    served = b"".join(client.get(url("sluttevaluering_pdf", programme)).streaming_content)
    assert hashlib.sha256(served).hexdigest() == sha
    # The live data did change: built now, 2.1.2 shows where it went; the frozen document does not.
    live = selectors.evaluation_live_document(sluttevaluering=after)["content"]
    assert all_tiltak(live)["2.1.2"]["rullering"] and not all_tiltak(frozen["content"])["2.1.2"]["rullering"]
    assert client.get(reverse("rapportering:list", kwargs={"program": programme.slug})).status_code == 200
    response = client.get("/api/v1/sluttevalueringer/")
    assert response.json()["results"][0]["pdf_sha256"] == sha


def test_api_lists_approved_evaluations_only(client, programme, draft, koordinator, django_assert_num_queries):
    assert client.get("/api/v1/sluttevalueringer/").json()["count"] == 0
    Sluttevaluering.objects.filter(pk=draft.pk).update(
        status="godkjent",
        approved_at=timezone.now(),
        frozen_content={"content": {}, "editorial": {"programanbefaling": "rulleres", "tiltak": {}}},
        pdf_sha256="b" * 64,
    )
    response = client.get(f"/api/v1/sluttevalueringer/{programme.slug}/")
    assert response.status_code == 200
    body = response.json()
    assert body["programanbefaling"] == "rulleres"
    assert body["pdf_url"].endswith(url("sluttevaluering_pdf", programme))
    with django_assert_num_queries(2):  # count + rows, whatever the number of programmes
        client.get("/api/v1/sluttevalueringer/")


def test_evaluation_is_read_only_in_the_admin(client, programme, draft, koordinator):
    client.force_login(koordinator)
    changelist = client.get(reverse("admin:rapportering_sluttevaluering_changelist"))
    assert changelist.status_code == 200
    assert f'href="{draft.get_absolute_url()}"' in changelist.content.decode()
    change = client.get(reverse("admin:rapportering_sluttevaluering_change", args=[draft.pk]))
    assert change.status_code == 200 and 'name="_save"' not in change.content.decode()
