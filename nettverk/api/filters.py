import django_filters

from handlingsprogram.api.filtering import UpdatedSinceFilter, both_ways, ordering_filter, search_filter
from nettverk.models import Deltagelse, Medlemskap, Nettverk
from tiltak.api.filters import IntegerFilter


class NettverkFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=Nettverk.Type.choices)
    geografi = django_filters.ChoiceFilter(choices=Nettverk.Geografi.choices)
    forelder = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Nettverk.objects.all(), label="The parent network's slug."
    )
    q = search_filter("navn", "kortnavn", "beskrivelse")
    ordering = ordering_filter(
        both_ways("navn", ("navn",))
        | both_ways("rekkefoelge", ("rekkefoelge", "navn"))
        | both_ways("updated_at", ("updated_at", "navn"))
    )

    class Meta:
        model = Nettverk
        fields = []


class DeltagelseFilter(django_filters.FilterSet):
    nettverk = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Nettverk.objects.all(), label="The network's slug."
    )
    aar = IntegerFilter(
        field_name="start", lookup_expr="year", min_value=1900, max_value=2999, label="The year the meeting began."
    )
    nivaa = django_filters.ChoiceFilter(choices=Medlemskap.Nivaa.choices, label="Political or administrative.")
    status = django_filters.ChoiceFilter(choices=Deltagelse.Status.choices)
    updated_since = UpdatedSinceFilter()
    q = search_filter("tittel", "sted", "referat")
    ordering = ordering_filter(both_ways("start", ("start", "id")) | both_ways("updated_at", ("updated_at", "id")))

    class Meta:
        model = Deltagelse
        fields = []
