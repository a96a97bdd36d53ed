from handlingsprogram.api.common import PortalDetailView, PortalListView
from nettverk import selectors

from . import filters, serializers


class NettverkList(PortalListView):
    """Networks, organisations and arenas with their place in the hierarchy and Trøndelag's memberships."""

    queryset = selectors.nettverk_for_api()
    serializer_class = serializers.NettverkSerializer
    filterset_class = filters.NettverkFilter


class NettverkDetail(PortalDetailView):
    queryset = selectors.nettverk_for_api()
    serializer_class = serializers.NettverkSerializer
    lookup_field = "slug"
