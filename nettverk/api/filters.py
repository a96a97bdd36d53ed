import django_filters

from handlingsprogram.api.filtering import both_ways, ordering_filter, search_filter
from nettverk.models import Nettverk


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
