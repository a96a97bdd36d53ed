"""The header's search (/sok/, issue 17): what it finds on each database, what it never shows, bad input, and a
query count that does not grow with the hits.

Runs on SQLite by default; with DATABASE_URL pointing to PostgreSQL the same tests run against its full-text
search, and the tests marked for PostgreSQL (stemming, ranking) run too."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from felles.search import MAX_QUERY_LENGTH, marked, parse
from handlingsprogram.models import Handlingsprogram, Innsatsomraade, PrioritertOmraade, User
from nettverk.models import Deltagelse, Nettverk
from portal import search
from resultater.models import Indikator
from tiltak.models import Statusmelding, Tiltak

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL (DATABASE_URL)"
)
URL = reverse("portal:sok")


def groups_by_key(query: str, user) -> dict:
    return {group.key: group for group in search.search_groups(query=parse(query), user=user)}


def hit_urls(query: str, user, key: str) -> list[str]:
    return [hit.url for hit in groups_by_key(query, user)[key].hits]


def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def melding(tiltak, author, **fields) -> Statusmelding:
    return Statusmelding.objects.create(
        tiltak=tiltak,
        author=author,
        date=datetime.date(2022, 5, 1),
        status=Statusmelding.Status.PAAGAAR,
        vurdering=Statusmelding.Vurdering.I_RUTE,
        **({"gjennomfoert": "Møte med partnerne."} | fields),
    )


def deltagelse(author, **fields) -> Deltagelse:
    defaults = {
        "nettverk": Nettverk.objects.get(slug="nordsjokommisjonen"),
        "start": datetime.date(2023, 3, 1),
        "nivaa": "administrativ",
        "tittel": "Arbeidsgruppemøte",
    }
    return Deltagelse.objects.create(created_by=author, **(defaults | fields))


# ---- The query -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   \t ", "empty"),
        ("a" * (MAX_QUERY_LENGTH + 1), "too_long"),
        ("skole\x01", "control"),
        ("\x1b[31mskole", "control"),
        ("og i det", "stop_words"),
        ("OG I", "stop_words"),
        ("-skole", "no_words"),
        ("!!! ???", "no_words"),
    ],
)
def test_a_query_the_search_cannot_take_is_refused_with_a_reason(raw, code):
    with pytest.raises(ValidationError) as refused:
        parse(raw)
    assert refused.value.code == code


def test_the_query_keeps_phrases_and_exclusions_apart():
    query = parse('  "levende laboratorium"  klima -energi or skole ')
    assert query.text == '"levende laboratorium" klima -energi or skole'
    assert query.terms == ("levende laboratorium", "klima", "skole")
    assert query.excluded == ("energi",)


@pytest.mark.parametrize(
    "raw",
    ["", "og i det", "a" * 5000, "skole\x07", "<script>alert(1)</script>", "\"'<>&", "-x", "💥" * 50, "%_%"],
)
def test_bad_input_gets_a_bokmaal_message_never_a_500(client, db, raw):
    response = client.get(URL, {"q": raw})
    assert response.status_code in (200, 400)
    text = response.content.decode()
    assert "<script>alert(1)</script>" not in text
    if response.status_code == 400:  # a value past any web server's limit: the junk-input guard answers
        assert "for lang" in text


def test_ten_thousand_characters_get_a_clear_message(client, db):
    response = client.get(URL, {"q": "skole " * 1700})
    assert response.status_code == 400
    assert "«q» er for lang: høyst" in response.content.decode()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "Skriv ett eller flere ord"),
        ("og i det", "bare svært vanlige ord"),
        ("skole\x01", "kontrolltegn"),
        ("a" * 201, "høyst 200 tegn"),
    ],
)
def test_the_messages_are_in_bokmaal(client, db, raw, message):
    response = client.get(URL, {"q": raw})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_an_unknown_type_is_a_message_not_an_error(client, programme):
    response = client.get(URL, {"q": "klima", "type": "hemmelig"})
    assert response.status_code == 200
    assert "Velg et gyldig valg" in response.content.decode()


# ---- What it finds ---------------------------------------------------------------------------------------------


def test_it_finds_every_type_and_links_to_each_hit(programme, tiltak_212, saksbehandler):
    word = "Zylofonprosjekt"
    melding(tiltak_212, saksbehandler, gjennomfoert=f"Vi startet {word} i år.")
    nettverk = Nettverk.objects.get(slug="nordsjokommisjonen")
    nettverk.beskrivelse += f" {word}"
    nettverk.save()
    moete = deltagelse(saksbehandler, formaal=f"Presentere {word}.")
    indikator = Indikator.objects.create(
        tiltak=tiltak_212, navn=f"{word} deltakere", maaleenhet="antall", basis_verdi=1, basis_aar=2019, basis_kilde="-"
    )
    tiltak_212.tekst += f" {word}"
    tiltak_212.save()
    groups = groups_by_key(word.lower(), anonymous())
    assert {key for key, group in groups.items() if group.count} == {
        "tiltak",
        "statusmeldinger",
        "nettverk",
        "deltagelser",
        "indikatorer",
    }
    assert groups["tiltak"].hits[0].url == tiltak_212.get_absolute_url()
    assert groups["statusmeldinger"].hits[0].url.startswith(tiltak_212.get_absolute_url() + "#statusmelding-")
    assert groups["nettverk"].hits[0].url == nettverk.get_absolute_url()
    assert groups["deltagelser"].hits[0].url == moete.get_absolute_url()
    assert groups["indikatorer"].hits[0].url == indikator.get_absolute_url()
    assert "<mark>" in groups["indikatorer"].hits[0].title


def test_governing_documents_and_goals_link_to_their_page(programme, client):
    groups = groups_by_key("Trøndelagsplanen", anonymous())
    assert groups["styringsdokumenter"].count >= 1
    url = groups["styringsdokumenter"].hits[0].url
    assert url.startswith(reverse("handlingsprogram:styringsdokumenter", kwargs={"program": programme.slug}))
    anchor = url.split("#", 1)[1]
    assert f'id="{anchor}"' in client.get(url).content.decode()
    assert groups["maal"].count >= 1


def test_projects_by_name_and_number(programme, tiltak_212):
    from tests.test_url_roles import _prosjekt

    prosjekt = _prosjekt(tiltak_212)
    assert hit_urls("yrkesfag", anonymous(), "prosjekter") == [prosjekt.get_absolute_url()]
    assert hit_urls('"KA121-VET"', anonymous(), "prosjekter") == [prosjekt.get_absolute_url()]


def test_every_word_must_match_and_a_minus_leaves_out(programme):
    assert groups_by_key("levende laboratorium", anonymous())["tiltak"].count >= 1
    assert groups_by_key("levende laboratorium xyzzyqq", anonymous())["tiltak"].count == 0
    with_minus = groups_by_key("levende laboratorium -laboratorium", anonymous())["tiltak"].count
    assert with_minus == 0


def test_case_does_not_matter_for_norwegian_letters(programme, tiltak_212):
    tiltak_212.tekst += " Ørretfiske i Ålesund"
    tiltak_212.save()
    for query in ("ørretfiske", "ØRRETFISKE", "Ørretfiske", "ålesund"):
        assert tiltak_212.get_absolute_url() in hit_urls(query, anonymous(), "tiltak"), query


@postgresql_only
def test_norwegian_stemming_finds_other_forms(programme, tiltak_212):
    tiltak_212.tekst += " Samarbeid med den videregående skolen."
    tiltak_212.save()
    assert tiltak_212.get_absolute_url() in hit_urls("skoler", anonymous(), "tiltak")
    title = groups_by_key("skoler", anonymous())["tiltak"].hits
    assert any("<mark>skolen</mark>" in hit.title for hit in title)


@postgresql_only
def test_a_title_match_ranks_above_a_body_match(programme, tiltak_212, saksbehandler):
    body_only = deltagelse(saksbehandler, tittel="Årsmøte", referat="Vi snakket om kvantedatamaskiner.")
    in_title = deltagelse(saksbehandler, tittel="Kvantedatamaskiner i Europa", start=datetime.date(2020, 1, 1))
    assert hit_urls("kvantedatamaskiner", anonymous(), "deltagelser") == [
        in_title.get_absolute_url(),
        body_only.get_absolute_url(),
    ]


# ---- What it never shows ---------------------------------------------------------------------------------------


def test_an_internal_remark_is_never_found_or_shown_to_anonymous(client, programme, tiltak_212, saksbehandler, leser):
    melding(tiltak_212, saksbehandler, gjennomfoert="Offentlig Kvistoppdatering.", intern_merknad="HEMMELIGORD her")
    assert groups_by_key("hemmeligord", anonymous())["statusmeldinger"].count == 0
    assert groups_by_key("hemmeligord", leser)["statusmeldinger"].count == 1
    # Found by its public text, the hit still shows nothing of the remark.
    response = client.get(URL, {"q": "kvistoppdatering"})
    assert "Kvistoppdatering" in response.content.decode()
    assert "HEMMELIGORD" not in response.content.decode()
    assert "HEMMELIGORD" not in client.get(URL, {"q": "hemmeligord"}).content.decode()
    client.force_login(leser)
    assert "HEMMELIGORD" in client.get(URL, {"q": "hemmeligord"}).content.decode()


def test_a_withdrawn_report_and_its_reason_stay_with_staff(programme, tiltak_212, saksbehandler, koordinator, leser):
    from django.utils import timezone

    melding(
        tiltak_212,
        saksbehandler,
        gjennomfoert="Trukketord i teksten.",
        withdrawn_at=timezone.now(),
        withdrawn_by=koordinator,
        trukket_tilbake_begrunnelse="Feilbegrunnelse",
    )
    assert groups_by_key("trukketord", anonymous())["statusmeldinger"].count == 0
    assert groups_by_key("feilbegrunnelse", anonymous())["statusmeldinger"].count == 0
    found = groups_by_key("feilbegrunnelse", leser)["statusmeldinger"]
    assert found.count == 1
    assert "trukket tilbake" in found.hits[0].meta


def test_the_internal_parts_of_a_deltagelse_are_for_staff(client, programme, saksbehandler, leser):
    deltagelse(saksbehandler, formaal="Offentlig formål", laering="Lærdomsord fra møtet", posisjoner="Posisjonsord")
    for word in ("lærdomsord", "posisjonsord"):
        assert groups_by_key(word, anonymous())["deltagelser"].count == 0
        assert groups_by_key(word, leser)["deltagelser"].count == 1
    response = client.get(URL, {"q": "offentlig formål"})
    assert "Lærdomsord" not in response.content.decode()


def test_a_draft_programme_is_for_staff(programme, leser, saksbehandler, koordinator):
    draft = Handlingsprogram.objects.create(
        navn="Utkast", slug="utkast-sok", start_year=2024, end_year=2027, state=Handlingsprogram.State.UTKAST
    )
    omraade = PrioritertOmraade.objects.create(handlingsprogram=draft, nummer=1, navn="Klima", slug="klima")
    innsats = Innsatsomraade.objects.create(omraade=omraade, nummer=1, navn="Lab")
    tiltak = Tiltak.objects.create(innsatsomraade=innsats, nummer=1, tekst="Utkastord for neste periode")
    Indikator.objects.create(
        tiltak=tiltak, navn="Utkastord-indikator", maaleenhet="antall", basis_verdi=1, basis_aar=2023, basis_kilde="-"
    )
    for user in (anonymous(), leser):
        groups = groups_by_key("utkastord", user)
        assert groups["tiltak"].count == groups["indikatorer"].count == 0
    for user in (saksbehandler, koordinator):
        groups = groups_by_key("utkastord", user)
        assert groups["tiltak"].count == groups["indikatorer"].count == 1


def test_stored_markup_and_the_query_stay_text(client, programme, tiltak_212):
    tiltak_212.tekst += ' <script>alert("x")</script> <img src=x onerror=alert(1)> Markupord'
    tiltak_212.save()
    response = client.get(URL, {"q": 'markupord "<img"'})
    text = response.content.decode()
    assert "<script>alert" not in text and "<img src=x" not in text
    assert "&lt;script&gt;" in text or "&lt;img" in text
    assert "<mark>Markupord</mark>" in text


def test_marked_escapes_and_marks():
    query = parse("skole")
    assert marked("<b>Skole</b> & skoler", query) == "&lt;b&gt;<mark>Skole</mark>&lt;/b&gt; &amp; <mark>skole</mark>r"
    assert marked("a \ue000b\ue001 <i>", query) == "a <mark>b</mark> &lt;i&gt;"
    long = "ord " * 200 + "skole " + "ord " * 200
    snippet = marked(long, query, snippet=True)
    assert "<mark>skole</mark>" in snippet and len(snippet) < 400 and snippet.startswith("…")


# ---- The page --------------------------------------------------------------------------------------------------


def test_the_results_page_groups_with_counts_and_headings(client, programme):
    response = client.get(URL, {"q": "internasjonal"})
    text = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="ds-heading" data-size="xl">Søk</h1>' in text
    assert 'id="sok-tiltak">Tiltak (' in text
    assert "<mark>" in text
    assert 'role="search"' in text


def test_show_more_lists_one_type_page_by_page(client, programme):
    groups = groups_by_key("internasjonal", anonymous())
    assert groups["tiltak"].count > search.PER_GROUP
    first = client.get(URL, {"q": "internasjonal"}).content.decode()
    assert "type=tiltak" in first
    page = client.get(URL, {"q": "internasjonal", "type": "tiltak"})
    assert len(page.context["group"].hits) == min(groups["tiltak"].count, search.PER_PAGE)


def test_the_header_has_a_labelled_search_box_that_needs_no_javascript(client, db):
    text = client.get("/").content.decode()
    assert f'action="{URL}"' in text and 'method="get"' in text
    assert 'for="portal-search-q"' in text and 'id="portal-search-q"' in text


def test_query_count_is_constant_per_group_whatever_the_hits(
    django_assert_num_queries, programme, tiltak_212, saksbehandler, leser
):
    def run(user):
        groups = search.search_groups(query=parse("Konstantord"), user=user)
        [hit.url for group in groups for hit in group.hits]  # the links need no further queries
        return groups

    melding(tiltak_212, saksbehandler, gjennomfoert="Konstantord")
    deltagelse(saksbehandler, tittel="Konstantord")
    # Two queries per type (the count, and the first hits with what their links need); a type without hits skips
    # the second.
    with django_assert_num_queries(len(search.TYPES) + 2):
        run(anonymous())
    for number in range(12):
        melding(tiltak_212, saksbehandler, gjennomfoert=f"Konstantord nummer {number}")
        deltagelse(saksbehandler, tittel=f"Konstantord {number}", nettverk=Nettverk.objects.all()[number % 3])
    for user in (anonymous(), leser):
        with django_assert_num_queries(len(search.TYPES) + 2):
            groups = run(user)
        assert {g.key: g.count for g in groups if g.count} == {"statusmeldinger": 13, "deltagelser": 13}
    # A type alone, paginated: a count and a page.
    from django.test import RequestFactory

    request = RequestFactory().get(URL, {"q": "Konstantord", "type": "deltagelser", "side": "1"})
    with django_assert_num_queries(2):
        group = search.search_group_page(request, key="deltagelser", query=parse("Konstantord"), user=leser)
        [hit.url for hit in group.hits]
    assert len(group.hits) == 13


def test_the_role_users_see_the_page(client, programme, make_user):
    client.force_login(make_user("kari-sok", User.Rolle.SAKSBEHANDLER))
    assert client.get(URL, {"q": "internasjonal"}).status_code == 200
