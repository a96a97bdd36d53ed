"""The programme file's references and its programme's state, checked before anything is written.

``references_validate`` raises ``ProgrammeFileError`` naming the place for a reference to something that is neither
in the file nor in the database (an aktør, an enhet, a goal, an SDG, a parent, a tiltak code or area number of the
file's programme), for a number or code used twice within the programme (codes are unique within a programme only:
another programme may use the same ones), and for a programme table with an unknown key or a state it cannot have.
The file may hold any programme, not only 2020–2023: nothing here looks up "the" programme in the database.
"""

import datetime

from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    Finansieringsprogram,
    Handlingsprogram,
    Maal,
    Styringsdokument,
)
from nettverk.models import Nettverk

from .programme_text_loader import ProgrammeFileError

PROGRAMME_KEYS = {
    "slug",
    "navn",
    "start_year",
    "end_year",
    "innledning",
    "vedtak",
    "eiere",
    "styringsdokumenter",
    "tekster",
    "omraader",
    # Since the rollover: the programme's state, and Fylkesutvalget's decision when it is adopted.
    "state",
    "adopted_on",
    "case_number",
    # The slug of the programme this one follows (rolled over from). Adopting the successor closes it, as the
    # portal's own adoption does (tiltak.rullering_services.programme_adopt).
    "forgjenger",
}
State = Handlingsprogram.State


def programme_state(row: dict) -> str:
    """The state the file gives its programme (valid: references_validate). A file that says nothing is a draft,
    unless it gives the date and case number of the adoption."""
    if row.get("state"):
        return row["state"]
    return State.VEDTATT if row.get("adopted_on") and row.get("case_number") else State.UTKAST


def _state_validate(row: dict) -> None:
    where = "[handlingsprogram]"
    if unknown := sorted(set(row) - PROGRAMME_KEYS):
        raise ProgrammeFileError(f"{where}: unknown key(s): {', '.join(unknown)}.")
    for name in ("slug", "navn", "start_year", "end_year"):
        if name not in row:
            raise ProgrammeFileError(f"{where}: missing {name}.")
    state = row.get("state")
    if state is not None and state not in State.values:
        raise ProgrammeFileError(f"{where}.state: {state!r} is not one of {', '.join(State.values)}.")
    adopted_on = row.get("adopted_on")
    if adopted_on is not None:
        try:
            datetime.date.fromisoformat(str(adopted_on))
        except ValueError as error:
            raise ProgrammeFileError(f"{where}.adopted_on: {adopted_on!r} is not a date (YYYY-MM-DD).") from error
    # Adopted by whom and when: Fylkesutvalget's date and case number, or the document's own words (vedtak).
    adoption_said = (adopted_on and row.get("case_number")) or row.get("vedtak")
    if state in (State.VEDTATT, State.AVSLUTTET) and not adoption_said:
        raise ProgrammeFileError(
            f"{where}.state = {state!r}: an adopted programme needs adopted_on and case_number "
            "(Fylkesutvalget's decision) or vedtak (the document's words of it)."
        )


def predecessor_validate(row: dict) -> Handlingsprogram | None:
    """The programme the file's programme follows (``forgjenger``), or None; ProgrammeFileError when the file's
    programme cannot follow it, or when it is adopted, names no predecessor and another programme is adopted here:
    the loader cannot know whether that one is its predecessor (and so to be closed) or not.

    A programme already in the database is not changed by loading it again, and its predecessor neither."""
    where = "[handlingsprogram]"
    if Handlingsprogram.objects.filter(slug=row.get("slug")).exists():
        return None
    state = programme_state(row)
    slug = row.get("forgjenger")
    if slug is None:
        adopted = Handlingsprogram.objects.filter(state=State.VEDTATT).order_by("-start_year").first()
        if state == State.VEDTATT and adopted is not None:
            raise ProgrammeFileError(
                f"{where}.state = 'vedtatt': {adopted.slug!r} is the adopted programme here. Name the programme "
                f'this one follows (forgjenger = "{adopted.slug}"), which is then closed, or load this one as '
                'state = "utkast" (a draft) or "avsluttet" (an archive).'
            )
        return None
    predecessor = Handlingsprogram.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    _check(predecessor is not None, f"{where}.forgjenger", f"no programme {slug!r} in the database.")
    successor = Handlingsprogram.objects.filter(forgjenger=predecessor).first()
    _check(
        successor is None,
        f"{where}.forgjenger",
        f"{slug!r} already has a successor, {successor.slug if successor else ''!r}.",
    )
    _check(
        not isinstance(row["start_year"], int) or predecessor.start_year < row["start_year"],
        f"{where}.forgjenger",
        f"{slug!r} starts in {predecessor.start_year}; the programme that follows it must start later.",
    )
    if state == State.VEDTATT:
        _check(
            predecessor.state == State.VEDTATT,
            f"{where}.forgjenger",
            f"{slug!r} is not the adopted programme (its state is {predecessor.state!r}); only the successor of "
            "an adopted programme can be loaded as adopted.",
        )
    elif state == State.AVSLUTTET:
        _check(
            predecessor.state == State.AVSLUTTET,
            f"{where}.forgjenger",
            f"{slug!r} is still {predecessor.state!r}; a closed programme can only follow a closed one.",
        )
    return predecessor


def _check(found: bool, where: str, message: str) -> None:
    if not found:
        raise ProgrammeFileError(f"{where}: {message}")


def references_validate(data: dict) -> None:
    """Raise ProgrammeFileError for the first reference in the file that points nowhere, or a number used twice."""
    aktoerer = set(Aktoer.objects.values_list("slug", flat=True))
    enheter = set(Enhet.objects.values_list("aktoer__slug", "slug"))
    for row in data.get("aktoerer", []):
        aktoerer.add(row.get("slug"))
        enheter |= {(row.get("slug"), enhet.get("slug")) for enhet in row.get("enheter", [])}
    goals = {f"{slug}#{nummer}" for slug, nummer in Maal.objects.values_list("styringsdokument__slug", "nummer")}
    dokumenter = set()
    for row in data.get("styringsdokumenter", []):
        dokumenter.add(row.get("slug"))
        goals |= {f"{row.get('slug')}#{maal.get('nummer')}" for maal in row.get("maal", [])}
    sdgs = set(Baerekraftsmaal.objects.values_list("nummer", flat=True)) | {
        row.get("nummer") for row in data.get("baerekraftsmaal", [])
    }
    programs = set(Finansieringsprogram.objects.values_list("slug", flat=True))
    for index, row in enumerate(data.get("finansieringsprogrammer", []), start=1):
        if row.get("forelder"):
            _check(
                row["forelder"] in programs,
                f"finansieringsprogrammer[{index}] ({row.get('slug')}).forelder",
                f"{row['forelder']!r} is not a funding programme listed before it or in the database.",
            )
        programs.add(row.get("slug"))

    def ansvar_check(ansvar: dict, where: str) -> None:
        _check(ansvar.get("aktoer") in aktoerer, f"{where}.aktoer", f"no actor {ansvar.get('aktoer')!r}.")
        if ansvar.get("enhet"):
            _check(
                (ansvar["aktoer"], ansvar["enhet"]) in enheter,
                f"{where}.enhet",
                f"{ansvar['aktoer']!r} has no unit {ansvar['enhet']!r}.",
            )

    def tags_check(row: dict, where: str) -> None:
        for number in row.get("baerekraftsmaal", []):
            _check(number in sdgs, f"{where}.baerekraftsmaal", f"no sustainable development goal {number!r}.")
        for ref in row.get("maal", []):
            _check(ref in goals, f"{where}.maal", f"no goal {ref!r} (written <styringsdokument slug>#<number>).")

    codes: set[str] = set()
    areas: set = set()
    programme = data.get("handlingsprogram")
    if programme is not None:
        _state_validate(programme)
        predecessor_validate(programme)
        for slug in programme.get("eiere", []):
            _check(slug in aktoerer, "[handlingsprogram].eiere", f"no actor {slug!r}.")
        for slug in programme.get("styringsdokumenter", []):
            _check(
                slug in dokumenter or Styringsdokument.objects.filter(slug=slug).exists(),
                "[handlingsprogram].styringsdokumenter",
                f"no governing document {slug!r}.",
            )
        for i, omraade in enumerate(programme.get("omraader", []), start=1):
            where = f"handlingsprogram.omraader[{i}] ({omraade.get('nummer')})"
            _check(omraade.get("nummer") not in areas, where, "the area number is used twice in this programme.")
            areas.add(omraade.get("nummer"))
            tags_check(omraade, where)
            innsats_numbers = set()
            for j, innsats in enumerate(omraade.get("innsatsomraader", []), start=1):
                where_i = f"{where}.innsatsomraader[{j}] ({innsats.get('nummer')})"
                _check(innsats.get("nummer") not in innsats_numbers, where_i, "the number is used twice in its area.")
                innsats_numbers.add(innsats.get("nummer"))
                tiltak_numbers = set()
                for k, tiltak in enumerate(innsats.get("tiltak", []), start=1):
                    where_t = f"{where_i}.tiltak[{k}] ({tiltak.get('nummer')})"
                    code = f"{omraade.get('nummer')}.{innsats.get('nummer')}.{tiltak.get('nummer')}"
                    _check(tiltak.get("nummer") not in tiltak_numbers, where_t, f"the code {code} is used twice.")
                    tiltak_numbers.add(tiltak.get("nummer"))
                    codes.add(code)
                    tags_check(tiltak, where_t)
                    for m, ansvar in enumerate(tiltak.get("ansvar", []), start=1):
                        ansvar_check(ansvar, f"{where_t}.ansvar[{m}]")

    nettverk = set(Nettverk.objects.values_list("slug", flat=True))
    for i, row in enumerate(data.get("nettverk", []), start=1):
        where = f"nettverk[{i}] ({row.get('slug')})"
        if row.get("forelder"):
            _check(row["forelder"] in nettverk, f"{where}.forelder", f"{row['forelder']!r} is not a network before it.")
        nettverk.add(row.get("slug"))
        if programme is not None:
            for number in row.get("omraader", []):
                _check(number in areas, f"{where}.omraader", f"the programme has no area {number!r}.")
            for code in row.get("tiltak", []):
                _check(code in codes, f"{where}.tiltak", f"the programme has no measure {code!r}.")
        for j, medlemskap in enumerate(row.get("medlemskap", []), start=1):
            ansvar_check(medlemskap, f"{where}.medlemskap[{j}]")
    for i, row in enumerate(data.get("indikatorer", []), start=1):
        where = f"indikatorer[{i}] ({row.get('navn')})"
        if programme is None:
            continue
        if "tiltak" in row:
            _check(row["tiltak"] in codes, f"{where}.tiltak", f"the programme has no measure {row['tiltak']!r}.")
        else:
            _check(
                row.get("omraade") in areas, f"{where}.omraade", f"the programme has no area {row.get('omraade')!r}."
            )
