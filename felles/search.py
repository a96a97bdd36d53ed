"""Free-text search over any model's text fields, on both databases the portal runs on.

- **PostgreSQL**: full-text search with the ``norwegian`` configuration (Snowball stemming, so «skoler» finds
  «skole»), the query read as web search syntax (``websearch_to_tsquery``: words, "a phrase", ``-not``, ``or``),
  hits ranked by ``ts_rank`` with the title fields weighted above the body, and the matched words marked by
  ``ts_headline``.
- **SQLite** (development and the default test run): every word must occur in one of the fields, as a
  case-insensitive substring (``icontains``); "a phrase" must occur as written and ``-word`` must not occur. No
  stemming and no ranking (hits come in the model's order). SQLite folds case for ASCII letters only, so a word is
  also tried capitalised and in capitals («øst» finds «Øst» and «ØST»).

The apps' selectors call :func:`text_search` with the fields the user may see, so that a hit can never come from a
field the user may not read, and :func:`marked` turns the annotated title and body into HTML with the query's words
in ``<mark>``: the text is escaped first, so stored text or a query holding markup stays text."""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField, Value
from django.db.models.functions import Cast, Coalesce, Replace
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

MAX_QUERY_LENGTH = 200
CONFIG = "norwegian"
# ts_headline marks its matches with these private-use characters, which are removed from the stored text first;
# marked() escapes the rest and turns them into <mark>…</mark>.
MARK_START, MARK_END = "\ue000", "\ue001"
BODY_SEPARATOR = " · "
SNIPPET_BEFORE, SNIPPET_LENGTH = 60, 240

# PostgreSQL's Snowball stop words for Norwegian (share/tsearch_data/norwegian.stop): a query of only these finds
# nothing there, so it is refused on both databases with the same message.
_STOP_WORDS_TEXT = """
    og i jeg det at en et den til er som på de med han av ikke ikkje der så var meg seg men ett har om vi min mitt
    ha hadde hun nå over da ved fra du ut sin dem oss opp man kan hans hvor eller hva skal selv sjøl her alle vil
    bli ble blei blitt kunne inn når være kom noen noe ville dere deres kun ja etter ned skulle denne for deg si
    sine sitt mot å meget hvorfor dette disse uten hvordan ingen din ditt blir samme hvilken hvilke sånn inni
    mellom vår hver hvem vors hvis både bare enn fordi før mange også slik vært båe begge siden dykk dykkar dei
    deira deires deim di då eg ein eit eitt elles honom hjå ho hoe henne hennar hennes hoss hossen ingi inkje
    korleis korso kva kvar kvarhelst kven kvi kvifor me medan mi mine mykje no nokon noka nokor noko nokre sia
    sidan so somt somme um upp vere vore verte vort varte vart
"""
STOP_WORDS = frozenset(_STOP_WORDS_TEXT.split())
_TERM = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class SearchText:
    """A checked query: the text as typed (for PostgreSQL's websearch parser) and its terms (for SQLite and for
    marking), each a word or a quoted phrase, with the excluded ones (``-word``) apart."""

    text: str
    terms: tuple[str, ...] = field(default=())
    excluded: tuple[str, ...] = field(default=())


def parse(raw: str) -> SearchText:
    """The query, or ValidationError with a message for the user: empty, too long, control characters, nothing
    but common words."""
    text = " ".join((raw or "").split())  # tabs and line breaks (a pasted text) are spaces
    if not text:
        raise ValidationError(_("Type one or more words to search for."), code="empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError(
            _("The search is too long: at most %(max)s characters."), code="too_long", params={"max": MAX_QUERY_LENGTH}
        )
    if any(unicodedata.category(char) in ("Cc", "Cs", "Co") for char in text):
        raise ValidationError(_("The search contains control characters. Remove them and try again."), code="control")
    terms, excluded = [], []
    for match in _TERM.finditer(text):
        negated = match.group(1) or match.group(3)
        term = (match.group(2) if match.group(2) is not None else match.group(4)).strip()
        if not term or (not match.group(2) and term.lower() == "or"):
            continue
        (excluded if negated else terms).append(term)
    words = [word.lower() for term in terms for word in _WORD.findall(term)]
    if not words:
        raise ValidationError(
            _("Type at least one word to search for (not only signs or excluded words)."), code="no_words"
        )
    if all(word in STOP_WORDS for word in words):
        raise ValidationError(
            _(
                "The search has only very common words (such as «og», «i», «det»), which are not searched for. Add a "
                "more specific word."
            ),
            code="stop_words",
        )
    return SearchText(text=text, terms=tuple(terms), excluded=tuple(excluded))


def is_full_text() -> bool:
    return connection.vendor == "postgresql"


class _Joined(Func):
    """``a || b || c`` flat: Django's Concat nests a function call per field, which on SQLite overflows the parser
    once the same text is matched against a few words."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()


def _joined(fields: list[str]):
    """The fields as one text, stripped of the marker characters (so stored text cannot fake a mark)."""
    parts = []
    for name in fields:
        if parts:
            parts.append(Value(BODY_SEPARATOR))
        parts.append(Coalesce(Cast(F(name), TextField()), Value("")))
    expression = _Joined(*parts) if len(parts) > 1 else parts[0]
    without_start = Replace(expression, Value(MARK_START), Value(""), output_field=TextField())
    return Replace(without_start, Value(MARK_END), Value(""), output_field=TextField())


def _variants(term: str) -> set[str]:
    return {term, term.lower(), term.upper(), term[:1].upper() + term[1:].lower()}


def _contains(term: str) -> Q:
    """The joined text holds ``term`` in any case (SQLite's LIKE folds ASCII only, so a few spellings are tried)."""
    condition = Q()
    for variant in _variants(term):
        condition |= Q(search_haystack__icontains=variant)
    return condition


def text_search(
    queryset: QuerySet, *, query: SearchText, title: list[str], body: list[str], codes: tuple[str, ...] = ()
) -> QuerySet:
    """``queryset`` narrowed to the rows whose ``title`` or ``body`` fields match ``query``, best first, annotated
    with ``search_title`` and ``search_body`` (pass them to :func:`marked`). Only these fields are searched and
    shown: pass only what the user may read. ``codes`` (among ``title``) are identifiers such as a project number,
    which PostgreSQL's parser cuts into pieces: there a term found anywhere in one of them is a hit too. One query,
    whatever the number of hits."""
    if is_full_text():
        from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector

        search_query = SearchQuery(query.text, search_type="websearch", config=CONFIG)
        vector = SearchVector(*title, weight="A", config=CONFIG) + SearchVector(*body, weight="B", config=CONFIG)
        headline = {"config": CONFIG, "start_sel": MARK_START, "stop_sel": MARK_END}
        return (
            queryset.annotate(search_vector=vector)
            .filter(
                reduce(
                    or_,
                    (Q(**{f"{code}__icontains": term}) for code in codes for term in query.terms),
                    Q(search_vector=search_query),
                )
            )
            .annotate(
                search_rank=SearchRank(vector, search_query),
                search_title=SearchHeadline(_joined(title), search_query, highlight_all=True, **headline),
                search_body=SearchHeadline(
                    _joined(body),
                    search_query,
                    max_words=30,
                    min_words=12,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                    **headline,
                ),
            )
            .order_by("-search_rank", "pk")
        )
    queryset = queryset.annotate(search_haystack=_joined(title + body))
    for term in query.terms:
        queryset = queryset.filter(_contains(term))
    for term in query.excluded:
        queryset = queryset.exclude(_contains(term))
    return queryset.annotate(search_title=_joined(title), search_body=_joined(body))


def _mark_terms(text: str, terms: tuple[str, ...]) -> str:
    """``text`` escaped, with every occurrence of a term (any case) in <mark>."""
    if not terms:
        return escape(text)
    pattern = re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)


def _snippet(text: str, terms: tuple[str, ...]) -> str:
    """A piece of a long text around the first match, cut at spaces, with «…» where it was cut."""
    if len(text) <= SNIPPET_LENGTH:
        return text
    lowered = text.lower()
    hits = [index for term in terms if (index := lowered.find(term.lower())) >= 0]
    start = max(min(hits, default=0) - SNIPPET_BEFORE, 0)
    if start:
        start = text.find(" ", start) + 1 or start
    end = start + SNIPPET_LENGTH
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    return ("… " if start else "") + text[start:end].strip() + (" …" if end < len(text) else "")


def marked(text: str, query: SearchText, *, snippet: bool = False) -> SafeString:
    """An annotated ``search_title``/``search_body`` as safe HTML with the query's words in <mark>: on PostgreSQL
    the words ts_headline found (stems included), on SQLite every occurrence of a term, and for a body only the
    part around the first match (``snippet``)."""
    text = text or ""
    if MARK_START in text or MARK_END in text:
        html = escape(text).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    else:
        html = _mark_terms(_snippet(text, query.terms) if snippet else text, query.terms)
    return mark_safe(html)  # noqa: S308 - every piece of text was escaped above
