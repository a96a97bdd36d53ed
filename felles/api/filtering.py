"""Building blocks for the API's filter sets: free-text ``q`` and a closed list of ``ordering`` values.

Every parameter validates its value, so an unknown value gets 400 with a body that names the parameter
(``{"ordering": ["Select a valid choice. …"]}``) instead of being ignored or causing a 500."""

import datetime
from functools import reduce
from operator import or_

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field


@extend_schema_field(OpenApiTypes.STR)
class SlugChoiceFilter(django_filters.ModelChoiceFilter):
    """An object picked by its slug (or number): a plain string in the OpenAPI description."""


# A string: drf-spectacular makes a multiple-choice filter's parameter an array of it (an array here was
# described as an array of arrays).
@extend_schema_field(OpenApiTypes.STR)
class SlugMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    """Several objects picked by slug (the parameter repeated)."""


# The goals are numbered 1–17 (a check constraint says so); from the model field alone, drf-spectacular described
# any 64-bit integer from 0.
@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 17})
class SdgFilter(django_filters.ModelChoiceFilter):
    """A Sustainable Development Goal by its number."""


class StrictBooleanField(forms.Field):
    """Only ``true`` or ``false``. Django's NullBooleanField reads any other text as "unknown", so a filter built
    on it (django-filter's BooleanFilter) ignored ``is_closed=kanskje`` instead of refusing it."""

    widget = forms.TextInput
    default_error_messages = {"invalid": _("Give true or false.")}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if value in ("true", "false"):
            return value == "true"
        raise ValidationError(self.error_messages["invalid"], code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A true/false parameter (a boolean in the OpenAPI description) that refuses any other value with 400."""

    field_class = StrictBooleanField


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 time, converted to UTC. Python accepts UTC offsets up to ±23:59, PostgreSQL only up to ±15:59,
    so "…T06:02-16:43" would otherwise reach the database and fail there; in UTC any offset is fine. A time that
    leaves the calendar when converted (year 1 with a negative offset) is refused as invalid."""

    def to_python(self, value):
        parsed = super().to_python(value)
        if parsed is None or parsed.tzinfo is None:
            return parsed
        try:
            return parsed.astimezone(datetime.UTC)
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class UpdatedSinceFilter(django_filters.IsoDateTimeFilter):
    """``updated_since``: objects changed at or after an ISO 8601 time."""

    field_class = UtcIsoDateTimeField

    def __init__(self, **kwargs):
        kwargs.setdefault("field_name", "updated_at")
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("label", "Changed at or after this time (ISO 8601).")
        super().__init__(**kwargs)


def search_filter(*fields: str) -> django_filters.CharFilter:
    def search(queryset, name, value):
        words = value.split()
        for word in words[:10]:  # a bound on the work one request can ask for
            queryset = queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": word}) for field in fields)))
        return queryset.distinct() if any("__" in field for field in fields) else queryset

    return django_filters.CharFilter(
        method=search, max_length=200, label=_("Free text; every word must occur in one of the text fields.")
    )


def ordering_filter(options: dict[str, tuple[str, ...]]) -> django_filters.ChoiceFilter:
    """``?ordering=<name>`` with ``name`` one of ``options``; each maps to the ``order_by`` fields it means.
    A leading "-" in the name is the usual "descending"."""

    def order(queryset, name, value):
        return queryset.order_by(*options[value])

    return django_filters.ChoiceFilter(choices=[(name, name) for name in options], method=order, label=_("Sort order."))


def descending(fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(field[1:] if field.startswith("-") else f"-{field}" for field in fields)


def both_ways(name: str, fields: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {name: fields, f"-{name}": descending(fields)}
