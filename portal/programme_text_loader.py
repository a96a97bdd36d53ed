"""The programme document's own text (``Programtekst``), read from the programme file's ``tekster``: a list of parts
in document order, or the name of a TOML file next to the programme file holding that list as ``[[tekster]]``.

Everything is checked before anything is written, so a malformed file stops the load with a message that names the
part and the key (``ProgrammeFileError``). Like the rest of the programme, parts are matched on their key and only
created when missing; an existing part is never changed."""

import re
import tomllib
from pathlib import Path

from handlingsprogram.models import Handlingsprogram, Programtekst
from handlingsprogram.models.programtekst import KEY_PATTERN


class ProgrammeFileError(ValueError):
    """The programme file (or a file it names) is not what the loader can load; the message says where."""


REQUIRED = ("key", "type", "source")
OPTIONAL = ("number", "title", "text", "forelder", "omraade", "refers_to", "modelled_as", "source_url")
KEY = re.compile(KEY_PATTERN)
TEXT_REQUIRED = {Programtekst.Type.FAKTABOKS, Programtekst.Type.FIGUR, Programtekst.Type.FOTNOTE}


def texts_file_read(*, programme_file: Path, name: str) -> list[dict]:
    """The parts in the file ``name`` (relative to the programme file)."""
    path = programme_file.parent / name
    if not path.is_file():
        raise ProgrammeFileError(f"{programme_file.name}: [handlingsprogram] tekster names {name!r}: no such file.")
    with path.open("rb") as handle:
        try:
            data = tomllib.load(handle)
        except tomllib.TOMLDecodeError as error:
            raise ProgrammeFileError(f"{path.name}: not valid TOML ({error}).") from error
    rows = data.get("tekster")
    if not isinstance(rows, list):
        raise ProgrammeFileError(f"{path.name}: has no [[tekster]].")
    return rows


def texts_validate(rows, *, omraader: list[dict]) -> None:
    """Raise ProgrammeFileError for the first thing wrong with the parts ``rows``; ``omraader`` are the programme
    file's areas (their numbers, and their innledning for the footnotes of 2.1–2.4)."""
    if not isinstance(rows, list):
        raise ProgrammeFileError("[handlingsprogram] tekster must be a list of parts or the name of a file.")
    area_texts = {area.get("nummer"): area.get("innledning", "") for area in omraader}
    types, modelled = set(Programtekst.Type.values), set(Programtekst.ModelledAs.values)
    seen: dict[str, dict] = {}

    for index, row in enumerate(rows, start=1):
        where = f"tekster[{index}]"
        if not isinstance(row, dict):
            raise ProgrammeFileError(f"{where}: a part is a table of keys.")
        if isinstance(row.get("key"), str):
            where += f" ({row['key']!r})"

        def fail(message: str, where=where):
            raise ProgrammeFileError(f"{where}: {message}")

        if missing := [name for name in REQUIRED if not row.get(name)]:
            fail(f"missing required key(s): {', '.join(missing)}.")
        if unknown := sorted(set(row) - set(REQUIRED) - set(OPTIONAL)):
            fail(f"unknown key(s): {', '.join(unknown)}. A part takes: {', '.join(REQUIRED + OPTIONAL)}.")
        for name in set(REQUIRED + OPTIONAL) - {"omraade"}:
            if name in row and not isinstance(row[name], str):
                fail(f"{name} must be a string.")
        key, kind = row["key"], row["type"]
        if not KEY.fullmatch(key):
            fail('the key must be lower-case letters and digits, parts joined by "." or "-" (e.g. 1.4, vedlegg-5).')
        if key in seen:
            fail("the key is used twice; every part needs its own.")
        if kind not in types:
            fail(f"unknown type {kind!r}; one of: {', '.join(sorted(types))}.")
        if row.get("modelled_as") and row["modelled_as"] not in modelled:
            fail(f"unknown modelled_as {row['modelled_as']!r}; one of: {', '.join(sorted(modelled))}.")
        if kind != Programtekst.Type.FOTNOTE and not row.get("title"):
            fail("missing required key: title (every part but a footnote has a heading).")
        if kind in TEXT_REQUIRED and not row.get("text", "").strip():
            fail(f"missing required key: text (a {kind} is its text).")
        if (row.get("modelled_as") == Programtekst.ModelledAs.PRIORITY_AREA) != ("omraade" in row):
            fail('omraade (the area\'s number) goes with modelled_as = "priority_area", and only with it.')
        if "omraade" in row and row["omraade"] not in area_texts:
            fail(f"omraade {row['omraade']!r} is not the number of an area of this programme.")
        parent_key = row.get("forelder")
        if parent_key and parent_key not in seen:
            fail(f"forelder {parent_key!r} is not the key of a part listed before this one.")
        if kind == Programtekst.Type.FOTNOTE:
            if not row.get("number", "").isdigit():
                fail('a footnote\'s number is required and is a whole number, as printed (e.g. "2").')
            if not row.get("refers_to"):
                fail("missing required key: refers_to (the words the footnote's number follows).")
            if not parent_key:
                fail("missing required key: forelder (the chapter whose text has the footnote's number).")
            parent = seen[parent_key]
            text = area_texts[parent["omraade"]] if "omraade" in parent else parent.get("text", "")
            found = text.count(row["refers_to"])
            if found != 1:
                fail(
                    f"refers_to {row['refers_to']!r} must occur exactly once in the text of {parent_key!r} "
                    f"(it occurs {found} times)."
                )
        elif row.get("refers_to"):
            fail("refers_to is only for footnotes.")
        seen[key] = row


def texts_load(loader, programme: Handlingsprogram, rows: list[dict]) -> None:
    """Create the parts that are missing, numbered in file order. ``rows`` are valid (texts_validate)."""
    by_key: dict[str, Programtekst] = {}
    for position, row in enumerate(rows, start=1):
        defaults = {"position": position} | {
            name: row[name]
            for name in ("type", "source", "number", "title", "text", "refers_to", "modelled_as", "source_url")
            if name in row
        }
        if row.get("forelder"):
            defaults["forelder"] = by_key[row["forelder"]]
        if "omraade" in row:
            defaults["omraade"] = programme.omraader.get(nummer=row["omraade"])
        part, _ = loader.get_or_create(Programtekst, {"handlingsprogram": programme, "key": row["key"]}, defaults)
        by_key[row["key"]] = part
