"""``/api/v1/``: the partner API, put together from each app's ``api/urls.py``, with its OpenAPI schema and
Swagger UI. Everything here is public (anonymous clients read public data; see api/authentication.py for
tokens and rate limits), and each view says so, as every portal view must (tests/test_url_access.py)."""

from django.urls import path, reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import serializers
from rest_framework.response import Response

from felles.api.common import PortalReadOnlyView
from felles.api.schema import ERROR_RESPONSES
from handlingsprogram.api import urls as programme_api
from handlingsprogram.permissions import public
from nettverk.api import urls as nettverk_api
from rapportering.api import urls as rapportering_api
from resultater.api import urls as resultater_api
from tiltak.api import urls as tiltak_api

RESOURCES = {
    "handlingsprogrammer": "api:handlingsprogram-list",
    "prioriterte_omraader": "api:omraade-list",
    "innsatsomraader": "api:innsatsomraade-list",
    "tiltak": "api:tiltak-list",
    "statusmeldinger": "api:statusmelding-list",
    "aktoerer": "api:aktoer-list",
    "baerekraftsmaal": "api:baerekraftsmaal-list",
    "styringsdokumenter": "api:styringsdokument-list",
    "finansieringsprogrammer": "api:finansieringsprogram-list",
    "programtekster": "api:programtekst-list",
    "nettverk": "api:nettverk-list",
    "deltagelser": "api:deltagelse-list",
    "medlemskap": "api:medlemskap-list",
    "indikatorer": "api:indikator-list",
    "prosjekter": "api:prosjekt-list",
    "valutakurser": "api:valutakurs-list",
    "sluttevalueringer": "api:sluttevaluering-list",
    "schema": "api:schema",
    "docs": "api:docs",
}


class ApiRoot(PortalReadOnlyView):
    """Where each resource of the API is."""

    pagination_class = None

    # Responses given here replace PortalAutoSchema's, so the errors the root can answer with are listed again
    # (400: an unknown parameter or ?format= value).
    @extend_schema(
        responses={
            200: inline_serializer("ApiRoot", fields={name: serializers.URLField() for name in RESOURCES}),
            **{code: ERROR_RESPONSES[code] for code in (400, 401, 404, 406, 429)},
        }
    )
    def get(self, request):
        return Response({name: request.build_absolute_uri(reverse(url)) for name, url in RESOURCES.items()})


class SwaggerUI(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    title = "Handlingsprogram-portalen API v1"


def _public(patterns):
    for pattern in patterns:
        public(pattern.callback)
    return patterns


app_name = "api"
urlpatterns = _public(
    [
        path("", ApiRoot.as_view(), name="root"),
        *programme_api.urlpatterns,
        *tiltak_api.urlpatterns,
        *resultater_api.urlpatterns,
        *nettverk_api.urlpatterns,
        *rapportering_api.urlpatterns,
        path("schema/", SpectacularAPIView.as_view(), name="schema"),
        path("docs/", SwaggerUI.as_view(url_name="api:schema"), name="docs"),
    ]
)
