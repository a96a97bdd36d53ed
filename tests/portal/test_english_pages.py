"""Every page in English (issue 17): the chrome — header, menu, footer, headings, labels, buttons, table headers,
messages, the text alternatives of charts — has no bokmål left in it. The programme's and staff's own texts stay
Norwegian, and say so: they sit inside an element marked ``lang="nb"`` (or a Sami language), which the check
leaves out. So a Norwegian text that is not marked fails the check as well as an untranslated string does.

The pages are the URL names of the role tests (tests/test_url_roles.py: its table and its way to build each
address), opened with the language switch's cookie set to English by anonymous, the case officer responsible for
2.1.2 and a coordinator: every page the table gives the role as 200 that answers HTML. The partner API follows
Accept-Language, not the cookie (tests/portal/test_language.py)."""

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from tests.test_url_roles import EXPECTED, build_url

# Languages whose text the check leaves alone: bokmål (and Norwegian in general) and the Sami languages.
NORWEGIAN_LANGS = ("nb", "no", "nn", "se", "sma", "smj", "sme")

# Common bokmål words that are not English words. Lower case; a word is compared lower-cased, so the list holds
# no word that is also English ("for", "men", "dag", "status", "start" and "plan" are left out on purpose).
BOKMAAL_WORDS = {
    "og", "ikke", "eller", "til", "fra", "med", "av", "det", "den", "denne", "dette", "ble", "har", "skal",
    "kan", "vil", "etter", "innen", "alle", "ingen", "ny", "nytt", "nye", "lagre", "avbryt", "logg", "inn",
    "tilbake", "neste", "forrige", "side", "sider", "vis", "skjul", "hjem", "mine", "tiltak", "nettverk",
    "nettverket", "deltagelse", "deltagelser", "deltakelse", "statusmelding", "statusmeldinger", "rapport",
    "rapporter", "dato", "navn", "beskrivelse", "enhet", "enheter", "ansvarlig", "frist", "vurdering", "merknad",
    "kommentar", "kommentarer", "endre", "slett", "legg", "velg", "oppdatert", "sist", "planlagt", "avsluttet",
    "fylkeskommune", "handlingsprogram", "handlingsprogrammet", "innsatsområde", "område", "områder", "søk",
    "om", "hva", "hvem", "hvor", "når", "også", "bare", "uten", "sammen", "samarbeid", "oversikt",
    "tilgjengelighet", "personvern", "kontakt", "hovedinnhold", "meny", "språk", "godkjent", "utkast",
    "innlogget", "bruker", "brukere", "passord", "brukernavn", "indikator", "indikatorer", "prosjekt",
    "prosjekter", "finansiering", "styringsdokumenter", "årsrapport", "sluttevaluering", "varsler", "varsel",
    "lest", "ulest", "ferdig", "forespørsel", "svar", "trukket", "begrunnelse", "lukk", "åpne", "åpen",
    "hent", "ned", "opp", "velkommen", "resultater", "innsats", "mål", "aktør", "aktører", "rolle",
    "nivå", "deltakere", "referat", "forberedelser", "formål", "påvirkning", "oppfølging", "gjennomført",
    "pågår", "rute", "forsinket", "stanset", "utgår", "vedlegg", "dokument", "dokumenter", "år", "totalt",
    "antall", "ja", "nei", "ukjent", "feil", "melding", "meldinger", "endret", "opprettet", "skrevet",
    "siste", "første", "juni", "januar", "februar", "mars", "mai", "juli", "oktober", "desember", "mandag",
    "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag", "kl",
}  # fmt: skip
# Names that are Norwegian in any language: the county's name in the wordmark and footer (a proper name, which
# WCAG 3.1.2 does not ask to be marked).
PROPER_NAMES = {"trøndelag", "bokmål"}

_URL = re.compile(r"\bhttps?://\S+")  # an address is neither language
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_NORWEGIAN_LETTERS = re.compile(r"[æøåÆØÅ]")
# Elements that may stand without an end tag, so never hold the text that follows them.
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description", "data-label")


# Elements whose content can hold no markup, so a Norwegian name in them cannot be marked: the page's <title>,
# an <option>, a <textarea>, and an SVG chart's <title> and <desc> (its text alternative).
_NO_MARKUP = {"title", "option", "desc"}
# What a user typed into a form is theirs, in their language, not the chrome.
_USER_INPUT = {"textarea"}


class _EnglishChrome(HTMLParser):
    """The texts a reader meets (text nodes outside <script>/<style>, and the attributes a screen reader or a
    tooltip reads out: titles, labels, placeholders, text alternatives, button values, the page description),
    except those inside an element marked as Norwegian or Sami. ``texts`` holds what can carry markup,
    ``plain_texts`` what cannot (attributes, and the elements in _NO_MARKUP), ``marked`` the Norwegian texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.plain_texts: list[str] = []
        self.marked: set[str] = set()
        self._stack: list[tuple[str, bool]] = []  # (tag, whether it or an ancestor is in a Norwegian language)

    def _norwegian(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = (attrs.get("lang") or attrs.get("xml:lang") or "").lower().split("-")[0]
        norwegian = lang in NORWEGIAN_LANGS if lang else self._norwegian()
        if not norwegian:
            self.plain_texts += [attrs[name] for name in _ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.plain_texts.append(attrs["value"])
            if tag == "meta" and attrs.get("name") == "description" and attrs.get("content"):
                self.plain_texts.append(attrs["content"])
        if tag not in _VOID:
            self._stack.append((tag, norwegian or tag in ("script", "style")))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self._stack.pop()

    def handle_endtag(self, tag):
        # An end tag closes its element and any left open inside it (a <p> or <li> closed by its parent).
        for depth in range(len(self._stack) - 1, -1, -1):
            if self._stack[depth][0] == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        if any(tag in _USER_INPUT for tag, _norwegian in self._stack):
            return
        if self._norwegian():
            self.marked.add(text)
        elif any(tag in _NO_MARKUP for tag, _norwegian in self._stack):
            self.plain_texts.append(text)
        else:
            self.texts.append(text)


def _without_marked(text: str, marked: list[str]) -> str:
    """The text without the Norwegian names and texts the page marks as such elsewhere (longest first)."""
    for name in marked:
        if name in text:
            text = text.replace(name, " ")
    return text


def bokmaal_in(html: str) -> list[str]:
    """Each bokmål word found in the English chrome, with the text it was found in."""
    parser = _EnglishChrome()
    parser.feed(html)
    parser.close()
    # Where no markup can be, a name may stand unmarked if the page marks it as Norwegian where it can (an
    # area's name in a chart's text alternative, in its table, and in a link's aria-label).
    marked = sorted((m for m in parser.marked if len(m) > 2), key=len, reverse=True)
    texts = [(text, text) for text in parser.texts]
    texts += [(text, _without_marked(text, marked)) for text in parser.plain_texts]
    found = set()
    for text, checked in texts:
        for word in _WORD.findall(_URL.sub(" ", checked)):
            lower = word.lower()
            if lower in PROPER_NAMES:
                continue
            if lower in BOKMAAL_WORDS or _NORWEGIAN_LETTERS.search(word):
                found.add(f"{word!r} in {text[:100]!r}")
    return sorted(found)


# The checker itself: it finds bokmål left in the chrome, and leaves what is marked Norwegian alone.


def test_the_check_finds_an_untranslated_string():
    page = '<html lang="en"><body><h1>Measures</h1><button type="submit">Lagre endringer</button></body></html>'
    assert bokmaal_in(page) == ["'Lagre' in 'Lagre endringer'"]


@pytest.mark.parametrize(
    "fragment",
    [
        "<th>Ansvarlig enhet</th>",  # a table header
        '<a href="/" aria-label="Gå til forsiden">Home</a>',  # an attribute a screen reader reads out
        '<input type="search" placeholder="Søk etter tiltak">',
        '<input type="submit" value="Send inn">',
        '<svg role="img"><title>Tiltak per status</title></svg>',  # a chart's text alternative
        "<p>Measure 2.1.2: Informasjonsmøte med KS</p>",  # a programme text not marked as Norwegian
        # A name in an attribute or a chart's text alternative that the page marks nowhere.
        '<a aria-label="Read more about Utdanning og kompetanse">More</a>',
        '<svg role="img"><desc>Status per area. Utdanning og kompetanse: 3</desc></svg>',
        # A name marked in one place does not excuse it where it could have been marked too.
        '<h2 lang="nb">Utdanning og kompetanse</h2><p>Utdanning og kompetanse</p>',
        '<p lang="en">Tiltak</p>',
        '<div lang="nb"><p>Nettverk</p></div><p>Status: pågår</p>',  # marked text ends with its element
        '<ul lang="nb"><li>Nettverk<li>Tiltak</ul><p>Oversikt</p>',  # an end tag closes what is open inside it
    ],
)
def test_the_check_finds_bokmaal_wherever_a_reader_meets_it(fragment):
    assert bokmaal_in(f'<html lang="en"><body>{fragment}</body></html>'), fragment


@pytest.mark.parametrize(
    "fragment",
    [
        '<p lang="nb">Informasjonsmøte med KS og Fylkesmannen.</p>',
        '<section lang="nb"><h2>Kompetanse og utdanning</h2><p title="Tiltak">Mål: <em>økt</em></p></section>',
        '<span lang="nb-NO">Område</span>',
        '<p lang="sma">Åarjelsaemien</p>',
        '<a href="/" aria-label="Tiltak 2.1.2" lang="nb">2.1.2</a>',
        "<p>Trøndelag County Council</p>",
        "<script>const label = 'Lagre';</script><p>Save</p>",
        "<p>Status: in progress, start 1 March 2021, for the plan</p>",  # English words spelt like bokmål ones
        # A name in a place that holds no markup, marked as Norwegian where the page can.
        '<title>Utdanning og kompetanse – the portal</title><h1 lang="nb">Utdanning og kompetanse</h1>',
        '<a aria-label="Read more about Utdanning og kompetanse">More</a><h2 lang="nb">Utdanning og kompetanse</h2>',
    ],
)
def test_the_check_leaves_english_and_marked_norwegian_alone(fragment):
    assert bokmaal_in(f'<html lang="en"><body>{fragment}</body></html>') == [], fragment


# The walk.

ROLES = ("anonymous", "responsible", "koordinator")
# The annual report's and the final evaluation's previews are the documents themselves, bokmål in any language
# (settings.REPORT_LANGUAGE): the whole page is marked so.
REPORT_PREVIEWS = {"rapportering:preview", "rapportering:sluttevaluering_preview"}


def english_pages(client, role, programme, tiltak, statusmelding):
    """(name, url, response) of every HTML page the role may open, in English."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    # A page that creates something comes before the pages that build it for their address (the final
    # evaluation's "create" page answers only while there is none).
    for name, statuses in sorted(EXPECTED.items(), key=lambda item: (not item[0].endswith("_create"), item[0])):
        if statuses[role] != 200 or name.startswith("api:"):
            continue
        url = build_url(name, programme, tiltak, statusmelding)
        response = client.get(url)
        assert response.status_code == 200, (name, role, response.status_code)
        if response["Content-Type"].startswith("text/html"):
            yield name, url, response


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_english_has_no_bokmaal_in_its_chrome(
    client, role, programme, tiltak_212, statusmelding, saksbehandler, koordinator
):
    user = {"anonymous": None, "responsible": saksbehandler, "koordinator": koordinator}[role]
    if user is not None:
        client.force_login(user)
    found, walked = {}, 0
    for name, _url, response in english_pages(client, role, programme, tiltak_212, statusmelding):
        walked += 1
        html_lang = re.search(r'<html lang="([^"]+)"', response.content.decode())[1]
        assert html_lang == ("nb" if name in REPORT_PREVIEWS else "en"), name
        if words := bokmaal_in(response.content.decode()):
            found[name] = words
    assert walked > {"anonymous": 25, "responsible": 45, "koordinator": 70}[role], walked
    texts = {}  # each text once, with the first page it is on, so that the message stays readable
    for name, words in sorted(found.items()):
        for word in words:
            texts.setdefault(word.split(" in ", 1)[1], f"{name}: {word}")
    report = "\n".join(sorted(texts.values()))
    assert not found, f"bokmål in the English chrome of {len(found)} pages as {role}:\n{report}"


@pytest.mark.django_db
def test_dates_and_numbers_follow_the_language(client, programme, tiltak_212, statusmelding):
    """Bokmål keeps its dd.mm.åååå; English writes the day first with the month's name, never 03/01."""
    url = tiltak_212.get_absolute_url()
    assert "01.03.2021" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "1 Mar 2021" in english and "01.03.2021" not in english and "03/01/2021" not in english
