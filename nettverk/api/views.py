from felles.api.common import NUMBER, PortalDetailView, PortalListView
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


class DeltagelseList(PortalListView):
    """Participation in meetings and events of the networks: the public fields and the public report-back."""

    queryset = selectors.deltagelser_for_api()
    serializer_class = serializers.DeltagelseSerializer
    filterset_class = filters.DeltagelseFilter


class DeltagelseDetail(PortalDetailView):
    queryset = selectors.deltagelser_for_api()
    serializer_class = serializers.DeltagelseSerializer
    path_patterns = {"pk": NUMBER}


class MedlemskapList(PortalListView):
    """Trøndelag's memberships and seats in the networks, on their own: filter by network, year and level."""

    queryset = selectors.medlemskap_for_api()
    serializer_class = serializers.MedlemskapListSerializer
    filterset_class = filters.MedlemskapFilter


class MedlemskapDetail(PortalDetailView):
    queryset = selectors.medlemskap_for_api()
    serializer_class = serializers.MedlemskapListSerializer
    path_patterns = {"pk": NUMBER}
