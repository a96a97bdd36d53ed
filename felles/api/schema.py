"""The OpenAPI description's additions: every operation documents the ``format`` parameter and the errors it
can answer with, and each filter parameter the values it accepts. Loaded by DRF from settings
(DEFAULT_SCHEMA_CLASS). Security schemes are described next to their authentication classes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR_RESPONSES = {
    400: OpenApiResponse(
        # {"<parameter>": ["<message>", …], …}. A serializer can only declare fixed field names (it documented a
        # required field literally called "<parameter>"), so this one is written as the schema itself.
        {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "minProperties": 1,
            "example": {"page_size": ["Give a whole number from 1 to 500."]},
        },
        description=_(
            "A query parameter is unknown, empty, or has a value it does not accept; the body names the parameter."
        ),
    ),
    401: OpenApiResponse(
        inline_serializer("AuthenticationError", fields={"detail": serializers.CharField()}),
        description=_("The API key is not valid, or it has been revoked."),
    ),
    404: OpenApiResponse(
        inline_serializer("NotFound", fields={"detail": serializers.CharField()}),
        description=_("No such object, or no such page."),
    ),
    406: OpenApiResponse(
        inline_serializer("NotAcceptable", fields={"detail": serializers.CharField()}),
        description=_("The requested format is not offered (json and csv are)."),
    ),
    429: OpenApiResponse(
        inline_serializer("Throttled", fields={"detail": serializers.CharField()}),
        description=_("Too many requests; the Retry-After header says when to try again."),
    ),
}

FORMAT_PARAMETER = OpenApiParameter(
    "format", str, enum=["json", "csv"], description=_("Response format (default json).")
)


class PortalAutoSchema(AutoSchema):
    """Every operation documents the ``format`` parameter and the error responses it can give, besides 200."""

    def get_override_parameters(self):
        return [*super().get_override_parameters(), FORMAT_PARAMETER]

    def get_response_serializers(self):
        return {200: super().get_response_serializers(), **ERROR_RESPONSES}


class PortalFilterExtension(DjangoFilterExtension):
    """drf-spectacular's description of django-filter parameters, made to say what the API accepts: a year or a
    number is an integer with the filter's bounds (a year filter on a date was a "number" without them, so
    ``aar=0`` was refused with nothing in the description saying so), a string is never empty (an empty value
    gets 400), and a parameter whose type is declared on its filter class keeps the filter's label."""

    priority = 1  # before drf-spectacular's own extension for the same backend

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        for parameter in parameters:
            schema = parameter["schema"]
            value_schema = schema["items"] if schema.get("type") == "array" else schema
            if issubclass(filter_field.field_class, forms.IntegerField):
                value_schema["type"] = "integer"
                value_schema.pop("format", None)
            for bound, keyword in (("min_value", "minimum"), ("max_value", "maximum")):
                if filter_field.extra.get(bound) is not None:
                    value_schema[keyword] = filter_field.extra[bound]
            if value_schema.get("type") == "string":
                value_schema["minLength"] = 1
                if filter_field.extra.get("max_length") is not None:
                    value_schema["maxLength"] = filter_field.extra["max_length"]
            if not parameter.get("description") and filter_field.label:
                parameter["description"] = str(filter_field.label)
        return parameters
