"""Deltagelser: registering participation, the steps before and after a meeting, who may do what, what the
public sees, the feeds, and the per-year figures the annual report uses."""

import datetime
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from nettverk import selectors, services
from nettverk.feeds import upcoming_ical
from nettverk.models import Deltagelse, Nettverk

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SECRET = "HEMMELIG-POSISJON"


@pytest.fixture
def transport(programme):
    return Nettverk.objects.get(slug="nsc-transport")


def data(nettverk, **overrides):
    values = {
        "nettverk": nettverk,
        "tittel": "Arbeidsgruppemøte transport",
        "type": Deltagelse.Type.MOETE,
        "start": TODAY - datetime.timedelta(days=30),
        "end": None,
        "sted": "Brussel",
        "nivaa": "administrativ",
    }
    values.update(overrides)
    return values


def test_the_steps_need_what_the_programme_asks_before_and_after(transport, saksbehandler):
    future = services.deltagelse_create(
        user=saksbehandler, data=data(transport, start=TODAY + datetime.timedelta(days=5))
    )
    with pytest.raises(ValidationError, match="formålet"):
        services.deltagelse_set_status(deltagelse=future, user=saksbehandler, status="forberedt")
    services.deltagelse_update(
        deltagelse=future, user=saksbehandler, data={"formaal": "Påvirke TEN-T", "forberedelser": "Notat"}
    )
    services.deltagelse_set_status(deltagelse=future, user=saksbehandler, status="forberedt")
    with pytest.raises(ValidationError, match="første dag er kommet"):
        services.deltagelse_set_status(deltagelse=future, user=saksbehandler, status="gjennomfoert")

    past = services.deltagelse_create(
        user=saksbehandler, data=data(transport, formaal="Påvirke", forberedelser="Notat", posisjoner=SECRET)
    )
    services.deltagelse_set_status(deltagelse=past, user=saksbehandler, status="gjennomfoert")  # two steps at once
    with pytest.raises(ValidationError, match="hva som skjedde"):
        services.deltagelse_set_status(deltagelse=past, user=saksbehandler, status="rapportert")
    services.deltagelse_update(
        deltagelse=past, user=saksbehandler, data={"referat": "Vedtak om korridor", "deling": "Delt med IN"}
    )
    reported = services.deltagelse_set_status(deltagelse=past, user=saksbehandler, status="rapportert")
    assert reported.reported_at is not None
    # Emptying the report-back of a reported meeting is refused as a whole.
    with pytest.raises(ValidationError):
        services.deltagelse_update(deltagelse=past, user=saksbehandler, data={"referat": ""})
    past.refresh_from_db()
    assert past.referat == "Vedtak om korridor"
    with pytest.raises(ValidationError, match="ett steg"):
        services.deltagelse_set_status(deltagelse=past, user=saksbehandler, status="forberedt")
    back = services.deltagelse_set_status(deltagelse=past, user=saksbehandler, status="gjennomfoert")
    assert back.reported_at is None
    assert past.history.count() >= 4  # audit history


def test_who_may_register_and_edit(transport, saksbehandler, saksbehandler_annen_enhet, leser, koordinator):
    with pytest.raises(PermissionDenied):
        services.deltagelse_create(user=leser, data=data(transport))
    deltagelse = services.deltagelse_create(user=saksbehandler, data=data(transport))
    with pytest.raises(PermissionDenied):
        services.deltagelse_update(deltagelse=deltagelse, user=saksbehandler_annen_enhet, data={"sted": "Oslo"})
    with pytest.raises(PermissionDenied):
        services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler_annen_enhet, status="forberedt")
    services.deltagelse_update(
        deltagelse=deltagelse, user=saksbehandler, data={}, deltakere=[saksbehandler, saksbehandler_annen_enhet]
    )
    services.deltagelse_update(deltagelse=deltagelse, user=saksbehandler_annen_enhet, data={"sted": "Oslo"})
    services.deltagelse_update(deltagelse=deltagelse, user=koordinator, data={"sted": "Stavanger"})
    deltagelse.refresh_from_db()
    assert deltagelse.sted == "Stavanger"


def test_a_refusal_by_the_service_is_a_403(client, monkeypatch, transport, saksbehandler, saksbehandler_annen_enhet):
    """Access lost between the page's check and the service's (taken off the participants meanwhile): 403, no change,
    where it used to be a form error or a message."""
    deltagelse = services.deltagelse_create(user=saksbehandler, data=data(transport))
    monkeypatch.setattr("nettverk.views.permissions.can_edit", lambda user, deltagelse: True)
    client.force_login(saksbehandler_annen_enhet)
    status_url = reverse("nettverk:deltagelse_status", kwargs={"pk": deltagelse.pk})
    assert client.post(status_url, {"status": "forberedt"}).status_code == 403
    form = {"nettverk": transport.pk, "tittel": "Endret", "type": "moete", "start": "2023-05-10", "nivaa": "politisk"}
    assert client.post(reverse("nettverk:deltagelse_edit", kwargs={"pk": deltagelse.pk}), form).status_code == 403
    deltagelse.refresh_from_db()
    assert (deltagelse.tittel, deltagelse.status) == ("Arbeidsgruppemøte transport", "planlagt")


def test_bad_input_gets_a_clear_message_and_saves_nothing(client, transport, saksbehandler):
    client.force_login(saksbehandler)
    form = {
        "nettverk": transport.pk,
        "tittel": "Møte",
        "type": "moete",
        "start": "2023-05-10",
        "end": "2023-05-09",
        "nivaa": "administrativ",
    }
    response = client.post(reverse("nettverk:deltagelse_create"), form)
    assert response.status_code == 400
    assert "Siste dag kan ikke være før første dag." in response.content.decode()
    response = client.post(reverse("nettverk:deltagelse_create"), form | {"end": "", "nettverk": "999999"})
    assert response.status_code == 400
    assert 'id="id_nettverk_error"' in response.content.decode()
    response = client.post(reverse("nettverk:deltagelse_create"), form | {"end": "", "start": "31.02.2023"})
    assert response.status_code == 400
    assert not Deltagelse.objects.exists()

    response = client.post(reverse("nettverk:deltagelse_create"), form | {"end": ""})
    deltagelse = Deltagelse.objects.get()
    assert response["Location"] == deltagelse.get_absolute_url()
    assert deltagelse.created_by == saksbehandler
    response = client.post(reverse("nettverk:deltagelse_status", kwargs={"pk": deltagelse.pk}), {"status": "x"})
    assert response.status_code == 302
    deltagelse.refresh_from_db()
    assert deltagelse.status == "planlagt"


def test_the_public_sees_public_fields_only(client, transport, saksbehandler, leser):
    deltagelse = services.deltagelse_create(
        user=saksbehandler,
        data=data(
            transport,
            formaal="Påvirke TEN-T",
            forberedelser="Intern forberedelse",
            posisjoner=SECRET,
            referat="Vedtak om korridor",
            deling="Delt med IN",
            laering="INTERN-LÆRING",
        ),
    )
    services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="rapportert")
    url = deltagelse.get_absolute_url()
    public_page = client.get(url).content.decode()
    assert "Vedtak om korridor" in public_page and "Påvirke TEN-T" in public_page
    assert SECRET not in public_page and "INTERN-LÆRING" not in public_page
    assert 'id="status-form"' not in public_page

    client.force_login(leser)
    staff_page = client.get(url).content.decode()
    assert SECRET in staff_page and "INTERN-LÆRING" in staff_page
    assert 'id="status-form"' not in staff_page  # readers read

    client.logout()
    feed_page = client.get(reverse("nettverk:deltagelser_siste")).content.decode()
    assert "Vedtak om korridor" in feed_page and SECRET not in feed_page
    atom = client.get(reverse("nettverk:deltagelser_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(atom.content)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert [e.findtext("{http://www.w3.org/2005/Atom}title") for e in entries] == [
        "Nordsjøkommisjonen – arbeidsgruppe for transport: Arbeidsgruppemøte transport"
    ]
    assert SECRET.encode() not in atom.content and "INTERN-LÆRING".encode() not in atom.content
    assert client.get(transport.get_absolute_url()).content.decode().count(f'data-deltagelse="{deltagelse.pk}"') == 1


def test_upcoming_meetings_as_icalendar(client, transport, saksbehandler):
    services.deltagelse_create(
        user=saksbehandler,
        data=data(
            transport,
            tittel="Møte om korridorer, havner; og jernbane",
            start=TODAY + datetime.timedelta(days=3),
            end=TODAY + datetime.timedelta(days=4),
            posisjoner=SECRET,
        ),
    )
    services.deltagelse_create(user=saksbehandler, data=data(transport, tittel="Gammelt møte"))
    response = client.get(reverse("nettverk:deltagelser_ical"))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    unfolded = body.replace("\r\n ", "")
    assert "Møte om korridorer\\, havner\\; og jernbane" in unfolded
    start, end = TODAY + datetime.timedelta(days=3), TODAY + datetime.timedelta(days=5)
    assert f"DTSTART;VALUE=DATE:{start:%Y%m%d}" in body and f"DTEND;VALUE=DATE:{end:%Y%m%d}" in body
    assert SECRET not in body and "Gammelt møte" not in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert upcoming_ical(today=TODAY, base_url="https://x").count("URL:https://x/deltagelser/") == 1


def test_overdue_report_backs_come_first_in_mine_deltagelser(client, transport, saksbehandler):
    recent = services.deltagelse_create(
        user=saksbehandler, data=data(transport, start=TODAY - datetime.timedelta(days=3))
    )
    overdue = services.deltagelse_create(
        user=saksbehandler, data=data(transport, start=TODAY - datetime.timedelta(days=20))
    )
    client.force_login(saksbehandler)
    page = client.get(reverse("nettverk:mine_deltagelser")).content.decode()
    assert page.index(f'data-deltagelse="{overdue.pk}" data-overdue="true"') < page.index(
        f'data-deltagelse="{recent.pk}"'
    )
    assert f'data-deltagelse="{recent.pk}" data-overdue' not in page
    assert [d.pk for d in selectors.deltagelser_overdue(today=TODAY)] == [overdue.pk]


def test_participation_per_network_and_year(transport, saksbehandler, programme):
    marine = Nettverk.objects.get(slug="nsc-marine-ressurser")
    for nettverk, nivaa, start in [
        (transport, "politisk", datetime.date(2022, 3, 1)),
        (transport, "administrativ", datetime.date(2022, 6, 1)),
        (transport, "administrativ", datetime.date(2021, 6, 1)),
        (marine, "administrativ", datetime.date(2022, 9, 1)),
    ]:
        services.deltagelse_create(user=saksbehandler, data=data(nettverk, nivaa=nivaa, start=start))
    rows = {row.nettverk.slug: row for row in selectors.participation_by_network(year=2022)}
    assert set(rows) == {"nsc-transport", "nsc-marine-ressurser"}
    assert (rows["nsc-transport"].politisk, rows["nsc-transport"].administrativ, rows["nsc-transport"].moeter) == (
        1,
        1,
        2,
    )


@pytest.mark.parametrize("view", ["nettverk:deltagelser_siste", "nettverk:mine_deltagelser", "nettverk:detail"])
def test_query_counts_do_not_grow_with_rows(client, transport, saksbehandler, django_assert_max_num_queries, view):
    def add(n):
        for i in range(n):
            deltagelse = services.deltagelse_create(
                user=saksbehandler,
                data=data(
                    transport, tittel=f"Møte {i}", referat="Referat", deling="Delt", formaal="F", forberedelser="F"
                ),
                deltakere=[saksbehandler],
            )
            services.deltagelse_set_status(deltagelse=deltagelse, user=saksbehandler, status="rapportert")

    client.force_login(saksbehandler)
    url = reverse(view, kwargs={"slug": transport.slug}) if view == "nettverk:detail" else reverse(view)
    add(2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_register_filters_by_type_geography_and_area(client, programme, django_assert_max_num_queries):
    url = reverse("nettverk:list")
    everything = client.get(url).content.decode()
    assert 'class="portal-tree"' in everything
    page = client.get(url, {"type": "arbeidsgruppe"}).content.decode()
    assert "Nordsjøkommisjonen – arbeidsgruppe for transport" in page and 'id="nettverk-filtered"' in page
    assert "Europapolitisk forum" not in page
    area = programme.omraader.order_by("nummer").first()
    with django_assert_max_num_queries(6):
        response = client.get(url, {"omraade": area.slug, "geografi": "europeisk"})
    assert response.status_code == 200
    bad = client.get(url, {"type": "klubb", "omraade": "finnes-ikke"})
    assert bad.status_code == 400
    assert 'id="id_type_error"' in bad.content.decode() and 'id="id_omraade_error"' in bad.content.decode()


def test_the_edit_form_lists_the_tiltak_by_innsatsomraade_with_the_served_ones_checked(
    client, transport, saksbehandler, tiltak_212
):
    """The tiltak checkboxes are built from plain values (nettverk.forms.TiltakChoices), not model instances: each
    one still has its code and text, sits under its innsatsområde, and the ones the meeting serves are checked."""
    deltagelse = services.deltagelse_create(user=saksbehandler, data=data(transport))
    deltagelse.tiltak.set([tiltak_212])
    client.force_login(saksbehandler)
    html = client.get(reverse("nettverk:deltagelse_edit", kwargs={"pk": deltagelse.pk})).content.decode()
    checked = re.findall(r'<input type="checkbox" name="tiltak" value="(\d+)"[^>]* checked', html)
    assert checked == [str(tiltak_212.pk)]
    groups = re.findall(r'<legend class="ds-label portal-choices__legend"><span lang="nb">([^<]+)</span>', html)
    tiltak_groups = [group for group in groups if group[0].isdigit()]  # the participants' groups are units
    assert tiltak_groups[0].startswith("1.1 ") and f"2.1 {tiltak_212.innsatsomraade.navn}" in tiltak_groups
    group_of_212 = html.split(f'name="tiltak" value="{tiltak_212.pk}"')[0].rsplit("<legend", 1)[1]
    assert f"2.1 {tiltak_212.innsatsomraade.navn}" in group_of_212
    label = re.search(r'for="[^"]+">2\.1\.2 <span lang="nb">([^<]+)</span></label>', html)
    assert label and tiltak_212.tekst.startswith(label[1][:40])
