"""The programme app's API resources. Views only pick the selector, the filter set and the serializer; the
shared behaviour (read-only, conditional GET, pagination, CSV) is in ``common.py``."""

import re

from django.shortcuts import get_object_or_404

from felles.api.common import NUMBER, SLUG, PortalDetailView, PortalListView
from handlingsprogram import selectors
from handlingsprogram.models.programtekst import KEY_PATTERN

from . import filters, serializers

INNSATSOMRAADE_CODE = re.compile(r"^(\d{1,3})\.(\d{1,3})$")
PROGRAMTEKST_KEY = re.compile(KEY_PATTERN)


class HandlingsprogramList(PortalListView):
    """The action programmes, newest first."""

    queryset = selectors.programmes_for_api()
    serializer_class = serializers.HandlingsprogramSerializer
    filterset_class = filters.HandlingsprogramFilter


class HandlingsprogramDetail(PortalDetailView):
    queryset = selectors.programmes_for_api()
    serializer_class = serializers.HandlingsprogramSerializer
    lookup_field = "slug"


class PrioritertOmraadeList(PortalListView):
    """The priority areas of every programme (filter by ``handlingsprogram``)."""

    queryset = selectors.omraader_for_api()
    serializer_class = serializers.PrioritertOmraadeSerializer
    filterset_class = filters.PrioritertOmraadeFilter


class PrioritertOmraadeDetail(PortalDetailView):
    queryset = selectors.omraader_for_api()
    serializer_class = serializers.PrioritertOmraadeSerializer

    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), handlingsprogram__slug=self.kwargs["program"], slug=self.kwargs["slug"]
        )


class InnsatsomraadeList(PortalListView):
    """The focus areas, identified by their code within the programme (e.g. "2.1")."""

    queryset = selectors.innsatsomraader_for_api()
    serializer_class = serializers.InnsatsomraadeSerializer
    filterset_class = filters.InnsatsomraadeFilter


class InnsatsomraadeDetail(PortalDetailView):
    queryset = selectors.innsatsomraader_for_api()
    serializer_class = serializers.InnsatsomraadeSerializer
    path_patterns = {"program": SLUG, "kode": INNSATSOMRAADE_CODE}

    def get_object(self):
        match = INNSATSOMRAADE_CODE.fullmatch(self.kwargs["kode"])  # path_patterns has refused anything else
        return get_object_or_404(
            self.get_queryset(),
            omraade__handlingsprogram__slug=self.kwargs["program"],
            omraade__nummer=int(match[1]),
            nummer=int(match[2]),
        )


class AktoerList(PortalListView):
    """Actors (organisations) with their units."""

    queryset = selectors.aktoerer_for_api()
    serializer_class = serializers.AktoerSerializer
    filterset_class = filters.AktoerFilter


class AktoerDetail(PortalDetailView):
    queryset = selectors.aktoerer_for_api()
    serializer_class = serializers.AktoerSerializer
    lookup_field = "slug"


class BaerekraftsmaalList(PortalListView):
    """The UN's 17 Sustainable Development Goals, with their official Norwegian names."""

    queryset = selectors.baerekraftsmaal_for_api()
    serializer_class = serializers.BaerekraftsmaalSerializer
    filterset_class = filters.BaerekraftsmaalFilter


class BaerekraftsmaalDetail(PortalDetailView):
    queryset = selectors.baerekraftsmaal_for_api()
    serializer_class = serializers.BaerekraftsmaalSerializer
    lookup_field = "nummer"
    path_patterns = {"nummer": NUMBER}


class StyringsdokumentList(PortalListView):
    """The governing documents behind the programmes, with their goals."""

    queryset = selectors.styringsdokumenter_for_api()
    serializer_class = serializers.StyringsdokumentSerializer
    filterset_class = filters.StyringsdokumentFilter


class StyringsdokumentDetail(PortalDetailView):
    queryset = selectors.styringsdokumenter_for_api()
    serializer_class = serializers.StyringsdokumentSerializer
    lookup_field = "slug"


class FinansieringsprogramList(PortalListView):
    """EU/EEA and Nordic funding programmes (Vedlegg 2), sub-programmes with their parent."""

    queryset = selectors.finansieringsprogrammer_for_api()
    serializer_class = serializers.FinansieringsprogramSerializer
    filterset_class = filters.FinansieringsprogramFilter


class FinansieringsprogramDetail(PortalDetailView):
    queryset = selectors.finansieringsprogrammer_for_api()
    serializer_class = serializers.FinansieringsprogramSerializer
    lookup_field = "slug"


class ProgramtekstList(PortalListView):
    """The programme document, word for word: chapters, appendices, fact boxes, figures and footnotes in document
    order (filter by ``handlingsprogram``). A part whose content is other data in the API (the priority areas,
    goals, funding programmes, networks) has its heading here and says so in ``modelled_as``."""

    queryset = selectors.programtekster_for_api()
    serializer_class = serializers.ProgramtekstSerializer
    filterset_class = filters.ProgramtekstFilter


class ProgramtekstDetail(PortalDetailView):
    queryset = selectors.programtekster_for_api()
    serializer_class = serializers.ProgramtekstSerializer
    path_patterns = {"program": SLUG, "key": PROGRAMTEKST_KEY}

    def get_object(self):
        return get_object_or_404(
            self.get_queryset(), handlingsprogram__slug=self.kwargs["program"], key=self.kwargs["key"]
        )
