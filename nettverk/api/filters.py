import datetime

import django_filters
from django.db.models import Q

from felles.api.filtering import UpdatedSinceFilter, both_ways, ordering_filter, search_filter
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


class MedlemskapFilter(django_filters.FilterSet):
    nettverk = django_filters.ModelChoiceFilter(
        to_field_name="slug", queryset=Nettverk.objects.all(), label="The network's slug."
    )
    aar = IntegerFilter(method="filter_aar", min_value=1900, max_value=2999, label="Memberships in force that year.")
    nivaa = django_filters.ChoiceFilter(choices=Medlemskap.Nivaa.choices, label="Political or administrative.")
    aktoer = django_filters.CharFilter(field_name="aktoer__slug", label="The actor's slug.")
    updated_since = UpdatedSinceFilter()
    ordering = ordering_filter(both_ways("nettverk", ("nettverk__navn", "aktoer__navn", "id")))

    class Meta:
        model = Medlemskap
        fields = []

    def filter_aar(self, queryset, name, value):
        start, end = datetime.date(value, 1, 1), datetime.date(value, 12, 31)
        return queryset.filter(Q(start_date__isnull=True) | Q(start_date__lte=end)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )
