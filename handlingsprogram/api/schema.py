"""The OpenAPI description's additions: every operation documents the ``format`` parameter and the errors it
can answer with. Loaded by DRF from settings (DEFAULT_SCHEMA_CLASS)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
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
        description=_("A query parameter has a value it does not accept; the body names the parameter."),
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


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "handlingsprogram.api.authentication.ApiTokenAuthentication"
    name = "partnerToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "A partner's key from a coordinator, sent as 'Token <key>'. Optional: it only lifts "
            "the rate limit.",
        }
