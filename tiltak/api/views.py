from django.http import Http404
from rest_framework.response import Response

from felles.api.common import (
    NUMBER,
    SLUG,
    KeysetPortalPagination,
    PortalDetailView,
    PortalListView,
    VersionedListMixin,
    is_portal_user,
)
from tiltak import selectors

from . import filters, serializers


class TiltakList(VersionedListMixin, PortalListView):
    """The measures of every programme with their current status, responsible actors, SDGs, goals and
    networks. Filter by programme, area, focus area, status, assessment, actor, SDG and ``updated_since``."""

    queryset = selectors.tiltak_for_api()
    serializer_class = serializers.TiltakSerializer
    filterset_class = filters.TiltakFilter
    pagination_class = KeysetPortalPagination
    cursor_nullable = frozenset({"siste_dato"})  # a tiltak without a statusmelding has none

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset()).values(*selectors.API_TILTAK_FIELDS)
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class TiltakDetail(VersionedListMixin, PortalDetailView):
    """One measure, identified by its programme and code (e.g. ``…/tiltak/<programme>/2.3.1/``). Versioned as the
    lists are: its ETag is known before the work, and a repeat comes from memory."""

    queryset = selectors.tiltak_for_api()
    serializer_class = serializers.TiltakSerializer
    path_patterns = {"program": SLUG, "kode": filters.TILTAK_CODE}

    def retrieve(self, request, *args, **kwargs):
        row = selectors.tiltak_api_row(program_slug=kwargs["program"], code=kwargs["kode"])
        if row is None:
            raise Http404
        return Response(self.get_serializer(row).data)


class StatusmeldingMixin:
    queryset = selectors.statusmeldinger_for_api()

    def get_serializer_class(self):
        if is_portal_user(self.request):
            return serializers.StatusmeldingInternalSerializer
        return serializers.StatusmeldingSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        # The documents are internal: fetched (one query per page) only for those who see them.
        return queryset.prefetch_related("vedlegg") if is_portal_user(self.request) else queryset


class StatusmeldingList(VersionedListMixin, StatusmeldingMixin, PortalListView):
    """Status reports, newest first: the ones that count (neither corrected nor withdrawn), or with
    ``inkluder_erstattede=true`` all of them, each marked. The internal remark and the reason for a withdrawal
    are shown only to staff logged in to the portal, never to anonymous or partner clients."""

    serializer_class = serializers.StatusmeldingSerializer
    filterset_class = filters.StatusmeldingFilter
    pagination_class = KeysetPortalPagination


class StatusmeldingDetail(StatusmeldingMixin, PortalDetailView):
    serializer_class = serializers.StatusmeldingSerializer
    path_patterns = {"pk": NUMBER}
