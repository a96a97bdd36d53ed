import django_filters
from django.db.models import Exists, OuterRef, Q

from felles.api.filtering import UpdatedSinceFilter
from handlingsprogram.models import Finansieringsprogram, Handlingsprogram
from resultater.models import Indikator, Prosjekt, Valutakurs
from resultater.models.prosjekt import Valuta
from tiltak.api.filters import TILTAK_CODE, IntegerFilter, code_filter, filter_tiltak_code
from tiltak.models import Tiltak


def programme_choice(field_name: str, method: str, label: str) -> django_filters.ModelChoiceFilter:
    # The method does the filtering; field_name only lets the schema type the parameter (and keep its label).
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=Handlingsprogram.objects.all(),
        to_field_name="slug",
        method=method,
        label=label,
    )


class IndikatorFilter(django_filters.FilterSet):
    handlingsprogram = programme_choice("omraade__handlingsprogram", "filter_handlingsprogram", "The programme's slug.")
    omraade = IntegerFilter(
        method="filter_omraade",
        min_value=1,
        max_value=999,
        label="A priority area's number: its own indicators and its measures'. Use with handlingsprogram.",
    )
    tiltak = code_filter(TILTAK_CODE, "2.3.3", filter_tiltak_code)
    updated_since = UpdatedSinceFilter(label="Changed, or given a value, at or after this time (ISO 8601).")

    class Meta:
        model = Indikator
        fields = []

    def filter_handlingsprogram(self, queryset, name, value):
        return queryset.filter(
            Q(omraade__handlingsprogram=value) | Q(tiltak__innsatsomraade__omraade__handlingsprogram=value)
        )

    def filter_omraade(self, queryset, name, value):
        return queryset.filter(Q(omraade__nummer=value) | Q(tiltak__innsatsomraade__omraade__nummer=value))


class ProsjektFilter(django_filters.FilterSet):
    finansieringsprogram = django_filters.ModelChoiceFilter(
        queryset=Finansieringsprogram.objects.all(),
        to_field_name="slug",
        method="filter_finansieringsprogram",
        label="A funding programme's slug: its projects and its sub-programmes'.",
    )
    status = django_filters.ChoiceFilter(choices=Prosjekt.Status.choices)
    aar = IntegerFilter(
        field_name="start_date", lookup_expr="year", min_value=1900, max_value=2999, label="The year it started."
    )
    handlingsprogram = programme_choice(
        "tiltak__innsatsomraade__omraade__handlingsprogram",
        "filter_handlingsprogram",
        "The programme's slug: projects serving its measures.",
    )
    tiltak = code_filter(TILTAK_CODE, "2.3.3", "filter_tiltak")
    updated_since = UpdatedSinceFilter(
        label="The project, or the exchange rate its NOK sum uses, changed at or after this time (ISO 8601)."
    )

    class Meta:
        model = Prosjekt
        fields = []

    def filter_finansieringsprogram(self, queryset, name, value):
        return queryset.filter(Q(finansieringsprogram=value) | Q(finansieringsprogram__forelder=value))

    def _serving(self, **lookups) -> Exists:
        # Exists, not a join: a project serving several matching measures is listed once.
        return Exists(Prosjekt.tiltak.through.objects.filter(prosjekt=OuterRef("pk"), **lookups))

    def filter_handlingsprogram(self, queryset, name, value):
        return queryset.filter(self._serving(tiltak__innsatsomraade__omraade__handlingsprogram=value))

    def filter_tiltak(self, queryset, name, value):
        # The same code is in every programme: with handlingsprogram, the one measure in that programme.
        programme = self.form.cleaned_data.get("handlingsprogram")
        return queryset.filter(self._serving(tiltak__in=Tiltak.objects.by_code(programme, value)))


class ValutakursFilter(django_filters.FilterSet):
    aar = IntegerFilter(min_value=1900, max_value=2999, label="The year the rate is for.")
    valuta = django_filters.ChoiceFilter(choices=Valuta.choices)

    class Meta:
        model = Valutakurs
        fields = []
