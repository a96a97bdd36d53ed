"""Reminder e-mails about tiltak without a statusmelding in the reporting year (manage.py send_paaminnelser)."""

import datetime
import re
import smtplib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef
from django.test import override_settings

from handlingsprogram.models import Aktoer, Enhet, User
from tiltak import selectors, services
from tiltak.models import Ansvar, Paaminnelse, Statusmelding, Tiltak
from tiltak.permissions import responsible_filter
from tiltak.reminders import paaminnelser_send

YEAR = 2023
SITE = "https://handlingsprogram.example.no"


def send(programme, year=YEAR, **kwargs):
    return paaminnelser_send(programme=programme, year=year, site_url=SITE, **kwargs)


def codes_in(mail) -> list[str]:
    return re.findall(r"^(\d+\.\d+\.\d+) ", mail.body, flags=re.MULTILINE)


def unreported_codes(user, programme, year=YEAR) -> list[str]:
    """What Mine tiltak shows the user as not reported: the reminder must list exactly these."""
    return [t.kode for t in selectors.mine_tiltak(user=user, programme=programme, year=year) if not t.rapportert]


def report(tiltak, user, date, **extra):
    return services.statusmelding_create(
        tiltak=tiltak,
        user=user,
        date=date,
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        gjennomfoert="Arbeidet er i gang.",
        today=datetime.date(YEAR, 12, 31),
        **extra,
    )


@pytest.fixture
def kari(saksbehandler) -> User:
    """A saksbehandler in Avdeling for utdanning, with an e-mail address."""
    saksbehandler.first_name, saksbehandler.last_name = "Kari", "Nordmann"
    saksbehandler.email = "kari@trondelagfylke.no"
    saksbehandler.save()
    return saksbehandler


@pytest.fixture
def per(saksbehandler_annen_enhet) -> User:
    """A saksbehandler in Avdeling for plan og næring."""
    saksbehandler_annen_enhet.email = "per@trondelagfylke.no"
    saksbehandler_annen_enhet.save()
    return saksbehandler_annen_enhet


def test_each_responsible_user_gets_one_mail_listing_exactly_their_unreported_tiltak(programme, kari, per, mailoutbox):
    sent = send(programme)

    assert {(p.user, p.aar, p.handlingsprogram) for p in sent} == {(kari, YEAR, programme), (per, YEAR, programme)}
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert len(mailoutbox) == 2 and set(mails) == {"kari@trondelagfylke.no", "per@trondelagfylke.no"}

    mail = mails["kari@trondelagfylke.no"]
    expected = unreported_codes(kari, programme)
    assert "2.1.2" in expected
    assert codes_in(mail) == expected
    assert Paaminnelse.objects.get(user=kari).antall_tiltak == len(expected)
    assert codes_in(mails["per@trondelagfylke.no"]) == unreported_codes(per, programme)

    assert mail.subject == "Påminnelse: meld status på tiltakene deres for 2023"
    assert mail.body.startswith("Hei Kari Nordmann,")
    assert "Tiltak uten statusmelding for 2023:" in mail.body
    assert f"{SITE}/program/{programme.slug}/tiltak/2.1.2/" in mail.body
    assert f"{SITE}/mine-tiltak/" in mail.body
    assert "&amp;" not in mail.body and "&#x27;" not in mail.body  # plain text, not HTML-escaped


def test_a_user_of_another_unit_gets_nothing_for_these_tiltak(programme, kari, per, mailoutbox):
    send(programme)
    mails = {mail.to[0]: mail for mail in mailoutbox}
    per_codes = set(codes_in(mails["per@trondelagfylke.no"]))
    only_utdanning = {
        t.kode
        for t in Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme, ansvar__enhet=kari.enhet)
        .exclude(Exists(Ansvar.objects.filter(responsible_filter(per), tiltak=OuterRef("pk"))))
        .select_related("innsatsomraade__omraade")
    }
    assert "2.1.2" in only_utdanning
    assert per_codes.isdisjoint(only_utdanning)


def test_an_aktoer_wide_ansvar_reaches_every_unit_of_the_aktoer(programme, make_user, mailoutbox):
    innovasjon_norge = Aktoer.objects.get(slug="innovasjon-norge-trondelag")
    enhet = Enhet.objects.create(aktoer=innovasjon_norge, navn="Internasjonalisering", slug="internasjonalisering")
    make_user("ingrid", User.Rolle.SAKSBEHANDLER, enhet, email="ingrid@innovasjonnorge.no")
    expected = {
        a.tiltak.kode
        for a in Ansvar.objects.filter(aktoer=innovasjon_norge, enhet__isnull=True).select_related(
            "tiltak__innsatsomraade__omraade"
        )
    }
    assert expected

    send(programme)
    (mail,) = mailoutbox
    assert set(codes_in(mail)) == expected


def test_users_without_responsibility_or_not_saksbehandler_get_nothing(
    programme, make_user, enhet_utdanning, koordinator, leser, mailoutbox
):
    ntnu = Aktoer.objects.get(slug="ntnu")
    assert not Ansvar.objects.filter(aktoer=ntnu).exists()
    make_user(
        "nils", User.Rolle.SAKSBEHANDLER, Enhet.objects.create(aktoer=ntnu, navn="IE", slug="ie"), email="nils@ntnu.no"
    )
    make_user("uten-enhet", User.Rolle.SAKSBEHANDLER, None, email="uten@trondelagfylke.no")
    make_user("sluttet", User.Rolle.SAKSBEHANDLER, enhet_utdanning, email="sluttet@trondelagfylke.no", is_active=False)
    make_user("leser-utdanning", User.Rolle.LESER, enhet_utdanning, email="leser@trondelagfylke.no")
    koordinator.email = "koordinator@trondelagfylke.no"
    koordinator.save()

    assert send(programme) == []
    assert mailoutbox == []


def test_a_statusmelding_dated_in_the_year_removes_the_tiltak_from_the_list(programme, kari, tiltak_212, mailoutbox):
    report(tiltak_212, kari, datetime.date(YEAR - 1, 6, 1))  # last year's does not count
    withdrawn = report(tiltak_212, kari, datetime.date(YEAR, 2, 1))
    services.statusmelding_withdraw(
        statusmelding=withdrawn, user=User.objects.create_user("k2", rolle=User.Rolle.KOORDINATOR), begrunnelse="Feil"
    )
    send(programme, year=YEAR)
    assert "2.1.2" in codes_in(mailoutbox[0])  # a withdrawn one does not count either

    Paaminnelse.objects.all().delete()
    mailoutbox.clear()
    report(tiltak_212, kari, datetime.date(YEAR, 3, 1))
    send(programme, year=YEAR)
    (mail,) = mailoutbox
    assert "2.1.2" not in codes_in(mail)
    assert codes_in(mail) == unreported_codes(kari, programme)

    # The year is the reporting year asked for: for 2022 the tiltak is reported (1 June 2022), for 2021 not.
    mailoutbox.clear()
    send(programme, year=YEAR - 1)
    assert "2.1.2" not in codes_in(mailoutbox[0])
    mailoutbox.clear()
    send(programme, year=YEAR - 2)
    assert "2.1.2" in codes_in(mailoutbox[0])


def test_nobody_with_everything_reported_is_reminded(programme, kari, mailoutbox):
    for kode in unreported_codes(kari, programme):
        tiltak = Tiltak.objects.by_code(programme, kode).select_related("innsatsomraade__omraade__handlingsprogram")
        report(tiltak.get(), kari, datetime.date(YEAR, 5, 1))
    assert send(programme) == []
    assert mailoutbox == []


def test_the_command_sends_once_and_a_second_run_sends_nothing(programme, kari, per, mailoutbox):
    out = StringIO()
    call_command("send_paaminnelser", "--aar", str(YEAR), stdout=out)
    assert len(mailoutbox) == 2
    assert f"{programme.slug} {YEAR}: 2 reminder(s) sent." in out.getvalue()
    assert "Reminded saksbehandler-test <kari@trondelagfylke.no>" in out.getvalue()

    out = StringIO()
    call_command("send_paaminnelser", "--aar", str(YEAR), stdout=out)
    assert len(mailoutbox) == 2
    assert f"{programme.slug} {YEAR}: 0 reminder(s) sent." in out.getvalue()
    assert Paaminnelse.objects.count() == 2

    # Another year is another period.
    call_command("send_paaminnelser", "--aar", str(YEAR - 1), stdout=StringIO())
    assert len(mailoutbox) == 4


def test_the_command_defaults_to_the_current_programme_and_its_reporting_year(programme, kari, mailoutbox):
    call_command("send_paaminnelser", stdout=StringIO())
    (paaminnelse,) = Paaminnelse.objects.all()
    assert paaminnelse.handlingsprogram == programme
    assert paaminnelse.aar == selectors.reporting_year(programme)


def test_the_command_uses_the_site_url_setting(programme, kari, mailoutbox):
    with override_settings(SITE_URL="https://portal.trondelagfylke.no/"):
        call_command("send_paaminnelser", "--program", programme.slug, stdout=StringIO())
    assert f"https://portal.trondelagfylke.no/program/{programme.slug}/tiltak/2.1.2/" in mailoutbox[0].body


def test_users_without_an_email_address_are_skipped_with_a_note(programme, saksbehandler, per, mailoutbox):
    assert saksbehandler.email == ""
    out = StringIO()
    call_command("send_paaminnelser", "--aar", str(YEAR), stdout=out)
    assert "Skipped saksbehandler-test: no e-mail address." in out.getvalue()
    assert [mail.to for mail in mailoutbox] == [["per@trondelagfylke.no"]]
    assert not Paaminnelse.objects.filter(user=saksbehandler).exists()


def test_the_command_rejects_unknown_programmes_and_years_outside_the_period(programme):
    with pytest.raises(CommandError, match="No programme"):
        call_command("send_paaminnelser", "--program", "finnes-ikke", stdout=StringIO())
    with pytest.raises(CommandError, match="outside the period"):
        call_command("send_paaminnelser", "--aar", "2019", stdout=StringIO())


def test_a_closed_programme_sends_nothing(programme, kari, mailoutbox):
    programme.is_closed = True
    programme.save()
    out = StringIO()
    call_command("send_paaminnelser", stdout=out)
    assert "closed" in out.getvalue()
    assert mailoutbox == [] and not Paaminnelse.objects.exists()


def test_a_failed_send_records_nothing_and_the_run_goes_on(programme, kari, per, mailoutbox, monkeypatch):
    from django.core.mail import EmailMessage

    original = EmailMessage.send

    def flaky_send(message, *args, **kwargs):
        if message.to == ["kari@trondelagfylke.no"]:
            raise smtplib.SMTPRecipientsRefused({"kari@trondelagfylke.no": (550, b"No such user")})
        return original(message, *args, **kwargs)

    monkeypatch.setattr(EmailMessage, "send", flaky_send)
    with pytest.raises(CommandError, match="1 reminder"):
        call_command("send_paaminnelser", "--aar", str(YEAR), stdout=StringIO(), stderr=StringIO())
    assert [mail.to for mail in mailoutbox] == [["per@trondelagfylke.no"]]
    assert list(Paaminnelse.objects.values_list("user__username", flat=True)) == [per.username]

    monkeypatch.setattr(EmailMessage, "send", original)
    call_command("send_paaminnelser", "--aar", str(YEAR), stdout=StringIO())
    assert [mail.to for mail in mailoutbox][-1] == ["kari@trondelagfylke.no"]


def test_a_race_lost_to_another_run_skips_the_user_without_mailing(programme, kari, mailoutbox, monkeypatch):
    """Another run records the reminder after this run selected its recipients: the insert hits the unique
    constraint, and this run sends nothing for that user."""
    from tiltak import reminders

    select = reminders.reminder_recipients

    def select_then_other_run_records(**kwargs):
        recipients = select(**kwargs)
        Paaminnelse.objects.create(user=kari, handlingsprogram=kwargs["programme"], aar=kwargs["year"], antall_tiltak=1)
        return recipients

    monkeypatch.setattr(reminders, "reminder_recipients", select_then_other_run_records)
    assert send(programme) == []
    assert mailoutbox == []
    assert Paaminnelse.objects.get().antall_tiltak == 1


def test_query_count_does_not_depend_on_the_number_of_tiltak(
    programme, kari, per, enhet_utdanning, mailoutbox, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12) as few:
        send(programme)
    small = len(mailoutbox[0].body)

    # Make Avdeling for utdanning responsible for every tiltak of the programme, and send again.
    Paaminnelse.objects.all().delete()
    mailoutbox.clear()
    tiltak = Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).exclude(
        ansvar__enhet=enhet_utdanning
    )
    Ansvar.objects.bulk_create(
        Ansvar(tiltak=t, aktoer=enhet_utdanning.aktoer, enhet=enhet_utdanning, rolle=Ansvar.Rolle.BIDRAGSYTER)
        for t in tiltak
    )
    with django_assert_max_num_queries(12) as many:
        send(programme)
    mails = {mail.to[0]: mail for mail in mailoutbox}
    assert (
        len(codes_in(mails["kari@trondelagfylke.no"]))
        == Tiltak.objects.filter(innsatsomraade__omraade__handlingsprogram=programme).count()
    )
    assert len(mails["kari@trondelagfylke.no"].body) > small
    assert len(many.captured_queries) == len(few.captured_queries)
