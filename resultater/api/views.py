from felles.api.common import NUMBER, PortalDetailView, PortalListView
from resultater import selectors

from . import filters, serializers


class IndikatorList(PortalListView):
    """The indicators of the measures and priority areas, with their baseline, target and values by year. Filter
    by programme, priority area, measure and ``updated_since``."""

    queryset = selectors.indikatorer_for_api()
    serializer_class = serializers.IndikatorSerializer
    filterset_class = filters.IndikatorFilter


class IndikatorDetail(PortalDetailView):
    queryset = selectors.indikatorer_for_api()
    serializer_class = serializers.IndikatorSerializer
    path_patterns = {"pk": NUMBER}


class ProsjektList(PortalListView):
    """International projects, newest first, with the grant to Trøndelag in its currency and in NOK at the rate of
    the start year. Filter by funding programme (sub-programmes included), status, start year, the action
    programme or measure served, and ``updated_since``."""

    queryset = selectors.prosjekter_for_api()
    serializer_class = serializers.ProsjektSerializer
    filterset_class = filters.ProsjektFilter


class ProsjektDetail(PortalDetailView):
    queryset = selectors.prosjekter_for_api()
    serializer_class = serializers.ProsjektSerializer
    path_patterns = {"pk": NUMBER}


class ValutakursList(PortalListView):
    """The exchange rates to NOK, by year and currency, that the projects' NOK sums use."""

    queryset = selectors.valutakurser()
    serializer_class = serializers.ValutakursSerializer
    filterset_class = filters.ValutakursFilter
