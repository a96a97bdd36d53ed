"""Change history from django-simple-history's records: who changed what, when, field by field."""

import datetime
from dataclasses import dataclass


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: object
    kind: str  # verbose name of the changed model
    action: str  # "+" created, "~" changed, "-" deleted
    label: str
    changes: list[tuple[str, str, str]]  # (field verbose name, old, new)


def history_entries(records, kind: str, label, m2m: dict | None = None) -> list[HistoryEntry]:
    """Turn historical records (all versions of some objects) into entries with field-level diffs, comparing
    each version with the previous version of the same object in Python (no query per record). ``m2m`` maps a
    many-to-many field to a function giving a version's values as text, from relations the caller prefetched."""
    m2m = m2m or {}
    entries = []
    previous = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        before = previous.get(record.id)
        changes = []
        if before is not None:
            delta = record.diff_against(before, excluded_fields=list(m2m), foreign_keys_are_objs=False)
            for change in delta.changes:
                field = record.instance_type._meta.get_field(change.field)
                changes.append((str(field.verbose_name), str(change.old), str(change.new)))
            for name, values in m2m.items():
                old, new = values(before), values(record)
                if old != new:
                    field = record.instance_type._meta.get_field(name)
                    changes.append((str(field.verbose_name), old, new))
        previous[record.id] = record
        if before is not None and not changes and record.history_type == "~":
            continue
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                kind=kind,
                action=record.history_type,
                label=label(record),
                changes=changes,
            )
        )
    return entries
