"""Mine tiltak, the tiltak page's timeline, the statusmelding form and withdrawal, through the web."""

import datetime
import html as html_module
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tiltak.models import Ansvar, Statusmelding, Tiltak
from tiltak.services import current_status_refresh


def form_url(tiltak):
    return reverse(
        "tiltak:statusmelding_create",
        kwargs={"program": tiltak.innsatsomraade.omraade.handlingsprogram.slug, "kode": tiltak.kode},
    )


def valid_post(**overrides):
    return {
        "date": "2023-03-15",
        "status": "paagaar",
        "vurdering": "risiko",
        "gjennomfoert": "Holdt informasjonsmøte for alle videregående skoler.",
        "resultater": "12 skoler deltok.",
        "neste_steg": "Følge opp søknadene.",
        "intern_merknad": "Budsjettet er stramt.",
    } | overrides


def test_mine_tiltak_lists_exactly_the_units_tiltak(client, saksbehandler, programme):
    client.force_login(saksbehandler)
    response = client.get(reverse("tiltak:mine"))
    assert response.status_code == 200
    listed = {t.kode for t in response.context["tiltak_list"]}
    expected = {
        a.tiltak.kode
        for a in Ansvar.objects.filter(enhet=saksbehandler.enhet).select_related("tiltak__innsatsomraade__omraade")
    }
    assert listed == expected
    assert "2.1.2" in listed
    assert "4.1.1" not in listed
    assert "Ikke rapportert i 2023" in response.content.decode()


def test_a_mine_tiltak_row_escapes_what_it_shows_and_labels_each_cell(client, saksbehandler, statusmelding, tiltak_212):
    """A row of Mine tiltak (tiltak_tags.mine_tiltak_row): the code's link named for screen readers, the text
    escaped and shortened, the status, assessment and demo tag, the date, and each cell after the text labelled for
    the stacked layout of a phone; a tiltak not reported in the year is tagged so."""
    tiltak_212.tekst = "<b>Fet</b> & " + "lang " * 60
    tiltak_212.save()
    Statusmelding.objects.filter(pk=statusmelding.pk).update(demo=True, date=datetime.date(2023, 2, 1))
    current_status_refresh()
    client.force_login(saksbehandler)
    html = client.get(reverse("tiltak:mine")).content.decode()
    row = re.search(rf'<tr><td><a [^>]*href="{tiltak_212.get_absolute_url()}".*?</tr>', html, re.S).group(0)
    assert 'aria-label="Tiltak 2.1.2">2.1.2</a>' in row
    assert "&lt;b&gt;Fet&lt;/b&gt; &amp; lang" in row and "<b>" not in row
    text = html_module.unescape(re.search(r'<td lang="nb">(&lt;b&gt;Fet[^<]*)</td>', row).group(1))
    assert len(text) == 160 and text.endswith("…")
    assert (
        '<td data-label="Nåværende status"><span class="ds-tag" data-size="sm" data-color="info">Pågår</span> '
        '<span class="ds-tag" data-size="sm" data-color="success">I rute</span> '
        '<span class="ds-tag portal-demo-tag"'
    ) in row
    assert '<td data-label="Siste statusmelding">01.02.2023</td>' in row
    assert '<td data-label="Rapportert i 2023">Ja</td>' in row
    other = next(
        a.tiltak
        for a in Ansvar.objects.filter(enhet=saksbehandler.enhet).exclude(tiltak=tiltak_212).select_related("tiltak")
    )
    unreported = re.search(rf'<tr><td><a [^>]*href="{other.get_absolute_url()}".*?</tr>', html, re.S).group(0)
    assert (
        '<td data-label="Nåværende status"><span class="ds-tag" data-size="sm" data-color="neutral">'
        "Ingen statusmelding ennå</span></td>"
    ) in unreported
    assert '<td data-label="Siste statusmelding">–</td>' in unreported
    assert (
        '<td data-label="Rapportert i 2023"><span class="ds-tag" data-size="sm" data-color="warning">'
        "Ikke rapportert i 2023</span></td>"
    ) in unreported


def test_logging_a_statusmelding_end_to_end(client, saksbehandler, tiltak_212):
    client.force_login(saksbehandler)
    page = client.get(form_url(tiltak_212))
    assert page.status_code == 200
    assert page.context["form"].initial["date"] == datetime.date(2023, 12, 31)  # the programme ended in 2023

    response = client.post(form_url(tiltak_212), valid_post())
    assert response.status_code == 302
    assert response["Location"] == tiltak_212.get_absolute_url()
    melding = Statusmelding.objects.get()
    assert (melding.author, melding.status, melding.vurdering) == (saksbehandler, "paagaar", "risiko")

    html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Holdt informasjonsmøte" in html
    assert "Budsjettet er stramt." in html  # logged-in users see the internal remark

    mine = client.get(reverse("tiltak:mine"))
    row = next(t for t in mine.context["tiltak_list"] if t.kode == "2.1.2")
    assert (row.siste_status, row.siste_dato, row.rapportert) == ("paagaar", datetime.date(2023, 3, 15), True)


def test_internal_remark_never_shown_to_anonymous(client, statusmelding, tiltak_212):
    html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Informasjonsmøte med KS" in html
    assert "HEMMELIG-INTERN-MERKNAD" not in html


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2099-01-01"}, "Datoen kan ikke være fram i tid."),
        ({"date": "2019-06-01"}, "innenfor programperioden 2020–2023"),
        ({"date": "ikke-en-dato"}, "Oppgi en gyldig dato."),
        ({"gjennomfoert": ""}, "Feltet er påkrevet."),
        ({"status": "finnes_ikke"}, "Velg et gyldig valg."),
        ({"gjennomfoert": "x" * 10_001}, "10000"),
        ({"korrigerer": "999999"}, "Velg et gyldig valg."),
    ],
)
def test_bad_input_gets_a_bokmaal_message_next_to_the_field_and_saves_nothing(
    client, saksbehandler, tiltak_212, overrides, message
):
    client.force_login(saksbehandler)
    response = client.post(form_url(tiltak_212), valid_post(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert Statusmelding.objects.count() == 0


def test_an_oversized_body_gets_the_norwegian_400_page_and_saves_nothing(client, saksbehandler, tiltak_212, settings):
    client.force_login(saksbehandler)
    body = valid_post(gjennomfoert="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1))
    response = client.post(form_url(tiltak_212), body)
    assert response.status_code == 400
    assert "Ugyldig forespørsel" in response.content.decode()
    assert Statusmelding.objects.count() == 0


def test_another_unit_is_refused_even_when_posting_directly(client, saksbehandler_annen_enhet, tiltak_212):
    client.force_login(saksbehandler_annen_enhet)
    assert client.post(form_url(tiltak_212), valid_post()).status_code == 403
    assert Statusmelding.objects.count() == 0


def test_correction_says_what_it_corrects(client, saksbehandler, statusmelding, tiltak_212):
    client.force_login(saksbehandler)
    response = client.get(form_url(tiltak_212) + f"?korrigerer={statusmelding.pk}")
    assert response.context["form"].initial["korrigerer"] == statusmelding.pk
    client.post(form_url(tiltak_212), valid_post(korrigerer=statusmelding.pk, date="2021-03-02"))
    correction = Statusmelding.objects.exclude(pk=statusmelding.pk).get()
    assert correction.korrigerer == statusmelding
    html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert f'href="#statusmelding-{statusmelding.pk}"' in html


def test_coordinator_withdraws_with_a_reason_and_entry_stays_visible(client, koordinator, statusmelding, tiltak_212):
    client.force_login(koordinator)
    url = reverse("tiltak:statusmelding_withdraw", kwargs={"pk": statusmelding.pk})
    assert client.post(url, {"begrunnelse": ""}).status_code == 400
    response = client.post(url, {"begrunnelse": "Registrert på feil tiltak"})
    assert response.status_code == 302
    html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "trukket tilbake" in html.lower()
    assert "Registrert på feil tiltak" in html
    assert "Informasjonsmøte med KS" in html


def test_statusmeldinger_cannot_be_edited_or_deleted_in_the_admin(client, koordinator, statusmelding):
    client.force_login(koordinator)
    assert not client.get(reverse("admin:index")).content.decode().count("/admin/tiltak/statusmelding/")


def test_coordinator_sees_the_audit_history(client, koordinator, saksbehandler, statusmelding, tiltak_212):
    client.force_login(koordinator)
    html = client.get(tiltak_212.get_absolute_url()).content.decode()
    assert "Endringshistorikk" in html
    client.force_login(saksbehandler)
    assert "Endringshistorikk" not in client.get(tiltak_212.get_absolute_url()).content.decode()


def add_statusmeldinger(programme, author, per_tiltak=3):
    rows = []
    for tiltak in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme):
        for day in range(1, per_tiltak + 1):
            rows.append(
                Statusmelding(
                    tiltak=tiltak,
                    author=author,
                    date=datetime.date(2022, 1, day),
                    status="paagaar",
                    vurdering="i_rute",
                    gjennomfoert="x",
                )
            )
    Statusmelding.objects.bulk_create(rows)
    current_status_refresh()  # bulk_create sends no signal


def add_tiltak(programme, enhet):
    for omraade in programme.omraader.all():
        for innsats in omraade.innsatsomraader.all():
            start = innsats.tiltak.count() + 1
            for nummer in range(start, start + 3):
                tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=nummer, tekst=f"Ekstra {nummer}")
                Ansvar.objects.create(tiltak=tiltak, aktoer=enhet.aktoer, enhet=enhet)


@pytest.mark.parametrize("who", ["saksbehandler", "koordinator"])
def test_pages_run_a_constant_number_of_queries(
    request, client, programme, tiltak_212, statusmelding, django_assert_num_queries, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    pages = [reverse("tiltak:mine"), tiltak_212.get_absolute_url(), form_url(tiltak_212)]
    counts = {}
    for url in pages:
        # Once before counting: the first request of a process also fills Django's content-type cache, so that
        # the count would depend on which tests ran before this one on the same worker.
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        counts[url] = len(captured)
    add_tiltak(programme, user.enhet)
    add_statusmeldinger(programme, user)
    for url in pages:
        with django_assert_num_queries(counts[url]):
            assert client.get(url).status_code == 200
