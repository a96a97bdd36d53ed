"""Keyset ("cursor") paging for the API's big lists (issue 19): ``?cursor=`` continues after the last row a client
saw, by a condition on the sort key (``WHERE (date, created_at, id) < (…)``) instead of skipping rows (``OFFSET``),
so a deep page costs what the first does. Page-number paging stays as it was for existing clients.

A cursor is the sort key's values of a row, the order it belongs to and the direction (the rows after it, or
those before it), in URL-safe base64 JSON. It names no one and grants nothing; a cursor that does not decode, or
that belongs to another order, is a bad value of the parameter (400)."""

import base64
import binascii
import datetime
import json

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions

PARAMETER = "cursor"
KEY_ALIAS = "cursor_key_%d"


def bad_cursor(message=None):
    return exceptions.ValidationError(
        {PARAMETER: [message or _("This cursor is not valid: take it from next_cursor.")]}
    )


class KeysetOrder:
    """The order of a queryset as (field, descending) pairs, with the primary key added as the last tie-breaker
    so that every row has its own place. ``None`` from ``of`` when the order cannot be paged by key: it is not
    all one direction, or it sorts by a value that may be missing (``nullable``)."""

    def __init__(self, fields: list[tuple[str, bool]]):
        self.fields = fields
        self.descending = fields[0][1]

    @classmethod
    def of(cls, queryset, nullable=frozenset()) -> "KeysetOrder | None":
        ordering = list(queryset.query.order_by or queryset.query.get_meta().ordering)
        fields = []
        for item in ordering:
            if not isinstance(item, str):
                return None
            name = item.lstrip("-")
            if name in nullable:
                return None
            fields.append(("id" if name == "pk" else name, item.startswith("-")))
        if not fields or len({descending for _, descending in fields}) != 1:
            return None
        if fields[-1][0] != "id":
            fields.append(("id", fields[0][1]))
        return cls(fields)

    @property
    def ordering(self) -> list[str]:
        return [("-" if descending else "") + name for name, descending in self.fields]

    def annotate(self, queryset):
        """The queryset in this order, each row carrying its sort key (as ``cursor_key_<n>``)."""
        keys = {KEY_ALIAS % n: F(name) for n, (name, _) in enumerate(self.fields)}
        return queryset.order_by(*self.ordering).annotate(**keys)

    def key_of(self, row) -> list:
        get = row.get if isinstance(row, dict) else lambda name: getattr(row, name)
        return [get(KEY_ALIAS % n) for n in range(len(self.fields))]

    def encode(self, row, *, before: bool = False) -> str:
        payload = {"o": self.ordering, "k": [_plain(value) for value in self.key_of(row)]}
        if before:
            payload["b"] = True
        return base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")

    def decode(self, queryset, raw: str) -> tuple[list, bool]:
        """The sort key and direction of a cursor, each value made the type of its column."""
        try:
            payload = json.loads(base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)))
        except (binascii.Error, ValueError, UnicodeDecodeError):
            raise bad_cursor() from None
        if not isinstance(payload, dict) or not isinstance(payload.get("k"), list):
            raise bad_cursor()
        if payload.get("o") != self.ordering:
            raise bad_cursor(_("This cursor belongs to another sort order: start again without it."))
        if len(payload["k"]) != len(self.fields):
            raise bad_cursor()
        annotations = queryset.query.annotations
        key = []
        for n, value in enumerate(payload["k"]):
            if value is None or isinstance(value, (dict, list, bool)):
                raise bad_cursor()
            try:
                key.append(annotations[KEY_ALIAS % n].output_field.to_python(value))
            except (DjangoValidationError, TypeError, ValueError, OverflowError):
                raise bad_cursor() from None
            if isinstance(key[-1], int) and not -(2**63) <= key[-1] < 2**63:
                raise bad_cursor()
        return key, bool(payload.get("b"))

    def after(self, queryset, key, *, before: bool = False):
        """The rows after ``key`` in this order (or before it, nearest first)."""
        columns = Tuple(*(F(name) for name, _ in self.fields))
        forwards = not before
        lookup = TupleLessThan if self.descending == forwards else TupleGreaterThan
        rows = queryset.filter(lookup(columns, tuple(key)))
        if before:
            rows = rows.order_by(*(("" if descending else "-") + name for name, descending in self.fields))
        return rows


def _plain(value):
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()  # every microsecond: the key must name the row exactly
    return value
