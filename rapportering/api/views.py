from felles.api.common import PortalDetailView, PortalListView
from rapportering import selectors

from . import serializers


class SluttevalueringList(PortalListView):
    """The approved final evaluations of the programmes, with the URL and SHA-256 of their PDF. Drafts are not
    public."""

    queryset = selectors.sluttevalueringer_for_api()
    serializer_class = serializers.SluttevalueringSerializer


class SluttevalueringDetail(PortalDetailView):
    """The approved final evaluation of one programme (by the programme's slug)."""

    queryset = selectors.sluttevalueringer_for_api()
    serializer_class = serializers.SluttevalueringSerializer
    lookup_field = "handlingsprogram__slug"
    lookup_url_kwarg = "program"
