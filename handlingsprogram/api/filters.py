import django_filters

from felles.api.filtering import (
    SdgFilter,
    SlugMultipleChoiceFilter,
    StrictBooleanFilter,
    both_ways,
    ordering_filter,
    search_filter,
)
from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    PrioritertOmraade,
    Programtekst,
    Styringsdokument,
)


def programme_filter(field_name: str) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        to_field_name="slug",
        queryset=Handlingsprogram.objects.all(),
        label="The programme's slug.",
    )


class HandlingsprogramFilter(django_filters.FilterSet):
    is_closed = StrictBooleanFilter(label="true: only closed programmes; false: only open ones.")
    q = search_filter("navn", "innledning")
    ordering = ordering_filter(both_ways("start_year", ("start_year", "navn")) | both_ways("navn", ("navn",)))

    class Meta:
        model = Handlingsprogram
        fields = []


class PrioritertOmraadeFilter(django_filters.FilterSet):
    handlingsprogram = programme_filter("handlingsprogram")
    baerekraftsmaal = SdgFilter(
        to_field_name="nummer", queryset=Baerekraftsmaal.objects.all(), label="An SDG's number (1–17)."
    )
    q = search_filter("navn", "innledning")
    ordering = ordering_filter(both_ways("nummer", ("handlingsprogram__start_year", "nummer")))

    class Meta:
        model = PrioritertOmraade
        fields = []


class InnsatsomraadeFilter(django_filters.FilterSet):
    handlingsprogram = programme_filter("omraade__handlingsprogram")
    omraade = SlugMultipleChoiceFilter(
        field_name="omraade__slug",
        to_field_name="slug",
        queryset=PrioritertOmraade.objects.all(),
        label="The priority area's slug (repeat for several).",
    )
    q = search_filter("navn")
    ordering = ordering_filter(
        both_ways("kode", ("omraade__handlingsprogram__start_year", "omraade__nummer", "nummer"))
    )

    class Meta:
        model = Innsatsomraade
        fields = []


class AktoerFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Aktoer.Type.choices)
    q = search_filter("navn", "kortnavn", "enheter__navn")
    ordering = ordering_filter(both_ways("navn", ("navn",)) | both_ways("updated_at", ("updated_at", "navn")))

    class Meta:
        model = Aktoer
        fields = []


class BaerekraftsmaalFilter(django_filters.FilterSet):
    q = search_filter("navn")

    class Meta:
        model = Baerekraftsmaal
        fields = []


class StyringsdokumentFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Styringsdokument.Type.choices)
    handlingsprogram = programme_filter("handlingsprogrammer")
    q = search_filter("tittel", "maal__tekst")
    ordering = ordering_filter(both_ways("tittel", ("tittel",)) | both_ways("rekkefoelge", ("rekkefoelge", "tittel")))

    class Meta:
        model = Styringsdokument
        fields = []


class FinansieringsprogramFilter(django_filters.FilterSet):
    forelder = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Finansieringsprogram.objects.all(), label="The parent programme's slug."
    )
    q = search_filter("navn", "beskrivelse")
    ordering = ordering_filter(both_ways("navn", ("navn",)) | both_ways("rekkefoelge", ("rekkefoelge", "navn")))

    class Meta:
        model = Finansieringsprogram
        fields = []


class ProgramtekstFilter(django_filters.FilterSet):
    handlingsprogram = programme_filter("handlingsprogram")
    type = django_filters.ChoiceFilter(choices=Programtekst.Type.choices)
    q = search_filter("title", "text")
    ordering = ordering_filter(
        both_ways("position", ("handlingsprogram__start_year", "handlingsprogram_id", "position"))
    )

    class Meta:
        model = Programtekst
        fields = []
