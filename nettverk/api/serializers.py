from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from felles.api.kilde import KildeLinkSerializer, fact_kilde_data, kilde_field, links_kilde_data
from nettverk.models import Deltagelse, Medlemskap, Nettverk


class MedlemskapSerializer(serializers.ModelSerializer):
    aktoer = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    aktoer_navn = serializers.CharField(source="aktoer.navn")
    enhet = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    enhet_navn = serializers.CharField(source="enhet.navn", allow_null=True, default=None)
    kilde = serializers.SerializerMethodField()
    nivaa_kilde = serializers.SerializerMethodField()

    class Meta:
        model = Medlemskap
        fields = [
            "aktoer",
            "aktoer_navn",
            "enhet",
            "enhet_navn",
            "rolle",
            "nivaa",
            "fra_dato",
            "til_dato",
            "representanter",
            "merknad",
            "updated_at",
            "kilde",
            "nivaa_kilde",
        ]
        # The public names stay as partners know them; the model's fields have English names.
        extra_kwargs = {"fra_dato": {"source": "start_date"}, "til_dato": {"source": "end_date"}}

    @extend_schema_field(kilde_field(help_text="The source of the membership."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(kilde_field(help_text='The source of the level; null when the level is "ikke_oppgitt".'))
    def get_nivaa_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"), field_name="nivaa")


class NettverkSerializer(serializers.ModelSerializer):
    # null for a network at the top of the hierarchy; the schema must say so.
    forelder = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The parent's slug."
    )
    nettsted = serializers.URLField(source="url", read_only=True, allow_blank=True)
    omraader = serializers.SerializerMethodField(help_text='The priority areas it serves, as "<programme>/<area>".')
    tiltak = serializers.SerializerMethodField(help_text='The measures it serves, as "<programme>/<code>".')
    medlemskap = MedlemskapSerializer(many=True, read_only=True)
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()
    omraader_kilder = serializers.SerializerMethodField()
    tiltak_kilder = serializers.SerializerMethodField()

    class Meta:
        model = Nettverk
        fields = [
            "slug",
            "navn",
            "kortnavn",
            "forelder",
            "type",
            "geografi",
            "beskrivelse",
            "nettsted",
            "omraader",
            "tiltak",
            "medlemskap",
            "url",
            "portal_url",
            "updated_at",
            "kilde",
            "omraader_kilder",
            "tiltak_kilder",
        ]

    @extend_schema_field(kilde_field(help_text="The source of the network."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(KildeLinkSerializer(many=True, help_text="The source of each area link, in list order."))
    def get_omraader_kilder(self, obj):
        links = [(f"{o.handlingsprogram.slug}/{o.slug}", o.pk) for o in obj.omraader.all()]
        return links_kilde_data(obj, "omraader", links, request=self.context.get("request"))

    @extend_schema_field(KildeLinkSerializer(many=True, help_text="The source of each measure link, in list order."))
    def get_tiltak_kilder(self, obj):
        links = [(f"{t.innsatsomraade.omraade.handlingsprogram.slug}/{t.kode}", t.pk) for t in obj.tiltak.all()]
        return links_kilde_data(obj, "tiltak", links, request=self.context.get("request"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_omraader(self, obj):
        return [f"{omraade.handlingsprogram.slug}/{omraade.slug}" for omraade in obj.omraader.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tiltak(self, obj):
        return [f"{t.innsatsomraade.omraade.handlingsprogram.slug}/{t.kode}" for t in obj.tiltak.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:nettverk-detail", kwargs={"slug": obj.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class DeltagelseSerializer(serializers.ModelSerializer):
    """A deltagelse's public fields. The participants, Trøndelag's positions, the preparation, the follow-up, what
    was learned and how it was shared are internal and never in the API."""

    nettverk = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The network's slug.")
    tiltak = serializers.SerializerMethodField(help_text='The measures it serves, as "<programme>/<code>".')
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()

    class Meta:
        model = Deltagelse
        fields = [
            "id",
            "nettverk",
            "tittel",
            "type",
            "start",
            "slutt",
            "sted",
            "nivaa",
            "status",
            "formaal",
            "referat",
            "rapportert_at",
            "tiltak",
            "url",
            "portal_url",
            "updated_at",
            "demo",
        ]
        extra_kwargs = {
            "formaal": {"help_text": "The purpose of taking part."},
            "referat": {"help_text": "The public report-back: what happened and was decided."},
            # The public names stay as partners know them; the model's fields have English names.
            "slutt": {"source": "end"},
            "rapportert_at": {"source": "reported_at"},
        }

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tiltak(self, obj):
        return [f"{t.innsatsomraade.omraade.handlingsprogram.slug}/{t.kode}" for t in obj.tiltak.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:deltagelse-detail", kwargs={"pk": obj.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class MedlemskapListSerializer(MedlemskapSerializer):
    """A membership on its own, with the network it is in (the nested form in a network leaves that out)."""

    nettverk = serializers.SlugRelatedField(slug_field="slug", read_only=True, help_text="The network's slug.")

    class Meta(MedlemskapSerializer.Meta):
        fields = ["id", "nettverk", *MedlemskapSerializer.Meta.fields]
