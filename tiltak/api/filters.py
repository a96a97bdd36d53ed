import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from felles.api.filtering import (
    SdgFilter,
    SlugChoiceFilter,
    SlugMultipleChoiceFilter,
    StrictBooleanFilter,
    UpdatedSinceFilter,
    both_ways,
    ordering_filter,
    search_filter,
)
from handlingsprogram.api.filters import programme_filter
from handlingsprogram.api.views import INNSATSOMRAADE_CODE
from handlingsprogram.models import Aktoer, Baerekraftsmaal, PrioritertOmraade
from tiltak.models import Ansvar, Statusmelding, Tiltak
from tiltak.models.tiltak import CODE_PATTERN

TILTAK_CODE = CODE_PATTERN
INNSATS_CODE = INNSATSOMRAADE_CODE


class IntegerFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField


def code_filter(pattern: re.Pattern, example: str, method) -> django_filters.CharFilter:
    return django_filters.CharFilter(
        method=method,
        validators=[
            RegexValidator(
                pattern, message=_("Write the code as numbers with dots, e.g. %(example)s.") % {"example": example}
            )
        ],
        label=f'A code such as "{example}".',
    )


def _filter_innsatsomraade(queryset, name, value):
    area, number = (int(part) for part in INNSATS_CODE.match(value).groups())
    return queryset.filter(innsatsomraade__omraade__nummer=area, innsatsomraade__nummer=number)


class TiltakFilter(django_filters.FilterSet):
    handlingsprogram = programme_filter("innsatsomraade__omraade__handlingsprogram")
    omraade = SlugMultipleChoiceFilter(
        field_name="innsatsomraade__omraade__slug",
        to_field_name="slug",
        queryset=PrioritertOmraade.objects.all(),
        label="The priority area's slug (repeat for several).",
    )
    innsatsomraade = code_filter(INNSATS_CODE, "2.1", _filter_innsatsomraade)
    status = django_filters.ChoiceFilter(
        field_name="siste_status", choices=Statusmelding.Status.choices, label="Current status."
    )
    vurdering = django_filters.ChoiceFilter(
        field_name="siste_vurdering", choices=Statusmelding.Vurdering.choices, label="Current assessment."
    )
    aktoer = SlugChoiceFilter(
        queryset=Aktoer.objects.all(),
        to_field_name="slug",
        method="filter_aktoer",
        label="An actor's slug: the measures where it holds a responsibility.",
    )
    baerekraftsmaal = SdgFilter(
        queryset=Baerekraftsmaal.objects.all(),
        to_field_name="nummer",
        method="filter_baerekraftsmaal",
        label="An SDG's number: measures marked with it, or in an area marked with it.",
    )
    updated_since = UpdatedSinceFilter()
    q = search_filter("tekst", "innsatsomraade__navn")
    ordering = ordering_filter(
        both_ways(
            "kode",
            (
                "innsatsomraade__omraade__handlingsprogram__start_year",
                "innsatsomraade__omraade__nummer",
                "innsatsomraade__nummer",
                "nummer",
            ),
        )
        | both_ways("updated_at", ("updated_at", "id"))
        | both_ways("siste_statusmelding", ("siste_dato", "id"))
    )

    class Meta:
        model = Tiltak
        fields = []

    def filter_aktoer(self, queryset, name, value):
        return queryset.filter(Exists(Ansvar.objects.filter(tiltak=OuterRef("pk"), aktoer=value)))

    def filter_baerekraftsmaal(self, queryset, name, value):
        marked = Tiltak.baerekraftsmaal.through.objects.filter(tiltak=OuterRef("pk"), baerekraftsmaal=value)
        area_marked = PrioritertOmraade.baerekraftsmaal.through.objects.filter(
            prioritertomraade=OuterRef("innsatsomraade__omraade"), baerekraftsmaal=value
        )
        return queryset.filter(Q(Exists(marked)) | Q(Exists(area_marked)))


def filter_tiltak_code(queryset, name, value):
    # In every programme: the handlingsprogram parameter narrows to one.
    return queryset.filter(tiltak__in=Tiltak.objects.by_code(None, value))


class StatusmeldingFilter(django_filters.FilterSet):
    handlingsprogram = programme_filter("tiltak__innsatsomraade__omraade__handlingsprogram")
    tiltak = code_filter(TILTAK_CODE, "2.1.2", filter_tiltak_code)
    aar = IntegerFilter(
        field_name="date", lookup_expr="year", min_value=1900, max_value=2999, label="The year the report is dated."
    )
    dato_fra = django_filters.DateFilter(field_name="date", lookup_expr="gte", label="Dated on or after (YYYY-MM-DD).")
    dato_til = django_filters.DateFilter(field_name="date", lookup_expr="lte", label="Dated on or before (YYYY-MM-DD).")
    status = django_filters.ChoiceFilter(choices=Statusmelding.Status.choices)
    vurdering = django_filters.ChoiceFilter(choices=Statusmelding.Vurdering.choices)
    trukket_tilbake = StrictBooleanFilter(
        method="filter_trukket_tilbake", label="true: only withdrawn reports; false: only valid ones."
    )
    inkluder_erstattede = StrictBooleanFilter(
        method="filter_inkluder_erstattede",
        label=(
            "true: also reports that no longer count, because they were corrected (erstattet_av) or withdrawn "
            "(trukket_tilbake). Without it only the reports that count are listed. Use it with updated_since to "
            "see a report become corrected or withdrawn."
        ),
    )
    updated_since = UpdatedSinceFilter()
    q = search_filter("gjennomfoert", "resultater", "neste_steg")
    ordering = ordering_filter(
        both_ways("dato", ("date", "created_at", "id")) | both_ways("created_at", ("created_at", "id"))
    )

    class Meta:
        model = Statusmelding
        fields = []

    def filter_trukket_tilbake(self, queryset, name, value):
        return queryset.filter(withdrawn_at__isnull=not value)

    def filter_inkluder_erstattede(self, queryset, name, value):
        return queryset  # read in filter_queryset, which lists only the reports that count unless it is true

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        data = self.form.cleaned_data
        if not data.get("inkluder_erstattede") and data.get("trukket_tilbake") is not True:
            queryset = queryset.valid()
        return queryset
