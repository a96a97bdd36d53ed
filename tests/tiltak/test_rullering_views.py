"""The rollover through the web and the API: drafts are staff's, the decisions page, adoption, lineage on the
tiltak page and in the API, with query counts that do not grow with rows (issue 16)."""

import datetime

import pytest
from django.urls import reverse

from handlingsprogram.models import Handlingsprogram
from tiltak import rullering_services as services
from tiltak.models import Statusmelding, Tiltak, TiltakRullering

Decision = TiltakRullering.Decision
DRAFT_SLUG = "ihp-2024-2027"


@pytest.fixture
def draft(programme, koordinator):
    return services.programme_roll_over(
        user=koordinator,
        programme=programme,
        navn="Internasjonalt handlingsprogram 2024–2027",
        slug=DRAFT_SLUG,
        start_year=2024,
        end_year=2027,
    )


def adopt(draft, koordinator):
    return services.programme_adopt(
        user=koordinator, programme=draft, decided_on=datetime.date(2023, 12, 12), case_number="PS 23/145"
    )


def code(programme, kode):
    return Tiltak.objects.by_code(programme, kode).select_related("innsatsomraade__omraade__handlingsprogram").get()


def test_a_draft_is_hidden_from_anonymous_users_and_readers(client, draft, leser, saksbehandler, koordinator):
    urls = [
        reverse("tiltak:programme", kwargs={"program": DRAFT_SLUG}),
        reverse("tiltak:detail", kwargs={"program": DRAFT_SLUG, "kode": "2.1.2"}),
        reverse("tiltak:omraade", kwargs={"program": DRAFT_SLUG, "omraade": draft.omraader.first().slug}),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(leser)
    assert all(client.get(url).status_code == 404 for url in urls)
    for user in (saksbehandler, koordinator):
        client.force_login(user)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert 'data-testid="programme-state"' in response.content.decode()
    # The front page stays on the adopted programme.
    client.logout()
    assert client.get("/").context["programme"].slug != DRAFT_SLUG


def test_the_api_never_shows_a_draft(client, draft, koordinator):
    for user in (None, koordinator):
        if user:
            client.force_login(user)
        programmes = client.get(reverse("api:handlingsprogram-list")).json()
        assert DRAFT_SLUG not in [p["slug"] for p in programmes["results"]]
        assert client.get(reverse("api:handlingsprogram-detail", kwargs={"slug": DRAFT_SLUG})).status_code == 404
        tiltak = client.get(reverse("api:tiltak-list"), {"page_size": 500}).json()
        assert tiltak["count"] == 45 and {t["handlingsprogram"] for t in tiltak["results"]} != {DRAFT_SLUG}
        assert (
            client.get(reverse("api:tiltak-detail", kwargs={"program": DRAFT_SLUG, "kode": "2.1.2"})).status_code == 404
        )
        omraader = client.get(reverse("api:omraade-list")).json()
        assert DRAFT_SLUG not in {o["handlingsprogram"] for o in omraader["results"]}
        # Nor does the old tiltak point at the draft yet.
        old = client.get(reverse("api:tiltak-detail", kwargs={"program": draft.forgjenger.slug, "kode": "2.1.2"}))
        assert old.json()["etterfoelgere"] == []


def test_a_draft_takes_no_status_reports(client, draft, koordinator):
    client.force_login(koordinator)
    url = reverse("tiltak:statusmelding_create", kwargs={"program": DRAFT_SLUG, "kode": "2.1.2"})
    response = client.post(
        url,
        {"date": "2024-03-01", "status": "paagaar", "vurdering": "i_rute", "gjennomfoert": "Tidlig start."},
    )
    assert response.status_code == 400  # the form again, with the message
    assert "er et utkast: statusmeldinger kan skrives når det er vedtatt" in response.content.decode()
    assert not Statusmelding.objects.filter(tiltak__innsatsomraade__omraade__handlingsprogram=draft).exists()


def test_start_the_rollover_from_the_programme_page(client, programme, koordinator):
    client.force_login(koordinator)
    page = client.get(programme.get_absolute_url()).content.decode()
    start = reverse("tiltak:rullering_start", kwargs={"program": programme.slug})
    assert start in page
    form = client.get(start)
    assert form.context["form"].initial["start_year"] == 2024
    assert form.context["form"].initial["slug"] == "internasjonalt-handlingsprogram-2024-2027"
    response = client.post(
        start, {"navn": "Neste", "slug": "neste", "start_year": "2024", "end_year": "2027"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tiltak:rullering", kwargs={"program": "neste"})
    assert len(response.context["rulleringer"]) == 45
    # A second start is refused with a message, and nothing is made.
    response = client.post(start, {"navn": "Igjen", "slug": "igjen", "start_year": "2024", "end_year": "2027"})
    assert response.status_code == 200 and "er allerede rullert over" in response.content.decode()
    assert not Handlingsprogram.objects.filter(slug="igjen").exists()
    # Bad input: a clear message, nothing made, never a 500.
    response = client.post(start, {"navn": "", "slug": "ikke en slug", "start_year": "x", "end_year": "2020"})
    assert response.status_code == 200 and response.context["form"].errors


def test_each_decision_through_the_web(client, programme, draft, koordinator):
    client.force_login(koordinator)

    def post(kode, **data):
        url = reverse("tiltak:rullering_decision", kwargs={"program": DRAFT_SLUG, "kode": kode})
        return client.post(
            url, {"decision": "viderefoert", "tekst": "", "target": "", "split_texts": "", "reason": ""} | data
        )

    assert post("1.1.1", decision="endret", tekst="Ny tekst.").status_code == 302
    target = code(draft, "1.1.1")
    assert post("1.1.2", decision="slaatt_sammen", target=str(target.pk)).status_code == 302
    assert post("2.1.2", decision="delt", split_texts="Del A\nDel B").status_code == 302
    # Closing without a reason: a bokmål message, nothing changes.
    response = post("3.1.1", decision="avsluttet", reason=" ")
    assert response.status_code == 200 and "Skriv hvorfor tiltaket avsluttes." in response.content.decode()
    assert code(programme, "3.1.1").rullering.decision == Decision.VIDEREFOERT
    assert post("3.1.1", decision="avsluttet", reason="Gjennomført i perioden.").status_code == 302
    # Junk: an unknown target, an unknown decision, an unknown code.
    assert post("4.1.1", decision="slaatt_sammen", target="999999").status_code == 200
    assert post("4.1.1", decision="noe").status_code == 200
    assert post("9.9.9").status_code == 404
    page = client.get(reverse("tiltak:rullering", kwargs={"program": DRAFT_SLUG})).content.decode()
    for label in ("Endret", "Slått sammen", "Delt", "Avsluttet: Gjennomført i perioden.", "Videreført"):
        assert label in page
    decisions = TiltakRullering.objects.filter(handlingsprogram=draft).values_list("decision", flat=True)
    assert set(decisions) == set(Decision.values)


def test_adopt_through_the_web_moves_the_front_page(client, programme, draft, koordinator):
    client.force_login(koordinator)
    url = reverse("tiltak:programme_adopt", kwargs={"program": DRAFT_SLUG})
    response = client.post(url, {"decided_on": "", "case_number": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert client.post(url, {"decided_on": "12.12.2023", "case_number": "PS 23/145"}).status_code == 302
    client.logout()
    front = client.get("/")
    assert front.context["programme"].slug == DRAFT_SLUG
    assert "2024–2027" in front.content.decode()
    old_page = client.get(programme.get_absolute_url()).content.decode()
    assert "Avsluttet" in old_page and draft.get_absolute_url() in old_page
    # The adopted programme takes no more decisions or adoptions: its pages are gone (404).
    client.force_login(koordinator)
    assert client.get(url).status_code == 404


def test_lineage_on_the_tiltak_pages_and_in_the_api(client, programme, draft, koordinator, saksbehandler):
    Statusmelding.objects.create(
        tiltak=code(programme, "2.1.2"),
        author=saksbehandler,
        date=datetime.date(2023, 3, 1),
        status="paagaar",
        vurdering="i_rute",
        gjennomfoert="ARBEID-I-FORRIGE-PERIODE",
    )
    services.tiltak_rullering_decide(
        user=koordinator, rullering=code(programme, "3.1.1").rullering, decision="avsluttet", reason="Nådd målet."
    )
    services.tiltak_rullering_decide(
        user=koordinator,
        rullering=code(programme, "1.1.2").rullering,
        decision="slaatt_sammen",
        target=code(draft, "1.1.1"),
    )
    # While a draft, the public does not see where the old tiltak goes.
    assert "Videreført som" not in client.get(code(programme, "2.1.2").get_absolute_url()).content.decode()
    adopt(draft, koordinator)

    old_page = client.get(code(programme, "2.1.2").get_absolute_url()).content.decode()
    assert "Videreført som 2.1.2 i 2024–2027" in old_page
    assert code(draft, "2.1.2").get_absolute_url() in old_page
    assert "Avsluttet" in old_page  # the archive's label
    assert "Avsluttet: Nådd målet." in client.get(code(programme, "3.1.1").get_absolute_url()).content.decode()
    assert (
        "Slått sammen med 1.1.1 i 2024–2027" in client.get(code(programme, "1.1.2").get_absolute_url()).content.decode()
    )
    new_page = client.get(code(draft, "2.1.2").get_absolute_url()).content.decode()
    assert "Videreført fra 2.1.2 i 2020–2023" in new_page
    assert "ARBEID-I-FORRIGE-PERIODE" in new_page  # the predecessor's timeline, read-only
    merged_page = client.get(code(draft, "1.1.1").get_absolute_url()).content.decode()
    assert "Slått sammen fra 1.1.2 i 2020–2023" in merged_page and "Videreført fra 1.1.1 i 2020–2023" in merged_page

    api = client.get(reverse("api:tiltak-detail", kwargs={"program": programme.slug, "kode": "3.1.1"})).json()
    assert api["etterfoelgere"] == [{"handlingsprogram": DRAFT_SLUG, "kode": None, "beslutning": "avsluttet"}]
    api = client.get(reverse("api:tiltak-detail", kwargs={"program": DRAFT_SLUG, "kode": "1.1.1"})).json()
    assert api["forgjengere"] == [
        {"handlingsprogram": programme.slug, "kode": "1.1.1", "beslutning": "viderefoert"},
        {"handlingsprogram": programme.slug, "kode": "1.1.2", "beslutning": "slaatt_sammen"},
    ]
    programmes = {p["slug"]: p for p in client.get(reverse("api:handlingsprogram-list")).json()["results"]}
    assert programmes[DRAFT_SLUG]["tilstand"] == "vedtatt" and programmes[DRAFT_SLUG]["periode"] == "2024–2027"
    assert programmes[DRAFT_SLUG]["forgjenger"] == programme.slug
    assert programmes[DRAFT_SLUG]["saksnummer"] == "PS 23/145"
    assert programmes[programme.slug]["tilstand"] == "avsluttet" and programmes[programme.slug]["is_closed"]


def _more_lineage(programme, draft, koordinator, saksbehandler):
    """More rows of every kind the lineage reads: predecessors' statusmeldinger, merges and splits."""
    for kode in ("2.1.2", "1.1.2", "1.2.1"):
        for month in (1, 2, 3):
            Statusmelding.objects.create(
                tiltak=code(programme, kode),
                author=saksbehandler,
                date=datetime.date(2023, month, 1),
                status="paagaar",
                vurdering="i_rute",
                gjennomfoert=f"Arbeid {month}",
            )
    services.tiltak_rullering_decide(
        user=koordinator,
        rullering=code(programme, "1.1.2").rullering,
        decision="slaatt_sammen",
        target=code(draft, "2.1.2"),
    )
    services.tiltak_rullering_decide(
        user=koordinator,
        rullering=code(programme, "1.2.1").rullering,
        decision="slaatt_sammen",
        target=code(draft, "2.1.2"),
    )
    services.tiltak_rullering_decide(
        user=koordinator, rullering=code(programme, "2.1.1").rullering, decision="delt", split_texts=["A", "B", "C"]
    )


def test_tiltak_page_queries_are_constant_with_lineage(
    client, programme, draft, koordinator, saksbehandler, django_assert_num_queries
):
    adopt(draft, koordinator)
    new_url = code(draft, "2.1.2").get_absolute_url()
    old_url = code(programme, "2.1.1").get_absolute_url()
    # The page's 9 and the lineage: the decisions naming it (as old tiltak or successor), their successors, and the
    # predecessors' statusmeldinger when it has predecessors (the new tiltak has, the old one has not); + the sources
    # of its ansvar, its links and its networks' links (2 or 3: Django runs no prefetch for an empty result) and the
    # demo banner check (1); + 1: an anonymous visitor's page reads the tiltak's heading first (its kept part,
    # rendered every time inside a test's transaction, reads the rest).
    with django_assert_num_queries(16):
        assert client.get(new_url).status_code == 200
    with django_assert_num_queries(15):
        assert client.get(old_url).status_code == 200
    Handlingsprogram.objects.filter(pk=draft.pk).update(state="utkast")
    _more_lineage(programme, draft, koordinator, saksbehandler)
    Handlingsprogram.objects.filter(pk=draft.pk).update(state="vedtatt")
    with django_assert_num_queries(16):
        page = client.get(new_url)
    assert page.status_code == 200 and "Slått sammen fra 1.2.1" in page.content.decode()
    with django_assert_num_queries(15):
        page = client.get(old_url)
    assert "Delt i:" in page.content.decode()


def test_api_tiltak_list_queries_are_constant_with_lineage(
    client, programme, draft, koordinator, saksbehandler, django_assert_num_queries
):
    adopt(draft, koordinator)
    url = reverse("api:tiltak-list")

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"page_size": 200}).status_code == 200
        return len(queries)

    before = count()
    Handlingsprogram.objects.filter(pk=draft.pk).update(state="utkast")
    _more_lineage(programme, draft, koordinator, saksbehandler)
    Handlingsprogram.objects.filter(pk=draft.pk).update(state="vedtatt")
    with django_assert_num_queries(before):
        data = client.get(url, {"page_size": 200}).json()
    assert data["count"] == 90 + 3 - 2
    assert any(t["forgjengere"] for t in data["results"]) and any(t["etterfoelgere"] for t in data["results"])


def test_network_pages_and_api_leave_out_a_drafts_links(client, draft):
    from nettverk.models import Nettverk

    nettverk = Nettverk.objects.filter(tiltak__innsatsomraade__omraade__handlingsprogram=draft).distinct().first()
    assert nettverk is not None  # the roll-over copied the network links
    assert nettverk.tiltak.filter(innsatsomraade__omraade__handlingsprogram=draft.forgjenger).exists()
    assert DRAFT_SLUG not in client.get(nettverk.get_absolute_url()).content.decode()
    assert DRAFT_SLUG not in client.get(reverse("api:nettverk-detail", kwargs={"slug": nettverk.slug})).content.decode()
    assert DRAFT_SLUG not in client.get(reverse("api:nettverk-list"), {"page_size": 500}).content.decode()
