"""The partner API's results: indikatorer with their values, international projects and exchange rates."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from felles.api.kilde import fact_kilde_data, kilde_field
from handlingsprogram.api.serializers import AktoerRefSerializer
from resultater.models import Indikator, Indikatorverdi, Prosjekt, Valutakurs
from tiltak.api.serializers import OmraadeRefSerializer

# Amounts are JSON numbers, as Finansieringsprogram.budsjett is, with the model field's digits.


def _amount(max_digits=16, decimal_places=2, **kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=max_digits, decimal_places=decimal_places, read_only=True, coerce_to_string=False, **kwargs
    )


def _rate(**kwargs) -> serializers.DecimalField:
    return _amount(max_digits=12, decimal_places=4, **kwargs)


class TiltakRefSerializer(serializers.Serializer):
    handlingsprogram = serializers.SlugField(
        source="innsatsomraade.omraade.handlingsprogram.slug", help_text="The programme's slug."
    )
    kode = serializers.CharField(help_text='e.g. "2.3.3"')


class IndikatorBasisSerializer(serializers.Serializer):
    verdi = _amount(source="basis_verdi")
    aar = serializers.IntegerField(source="basis_aar")
    kilde = serializers.CharField(source="basis_kilde")


class IndikatorMaalSerializer(serializers.Serializer):
    verdi = _amount()
    aar = serializers.IntegerField()


class IndikatorverdiSerializer(serializers.ModelSerializer):
    """A value for one year. Who recorded it is personal data and is left out."""

    verdi = _amount()

    class Meta:
        model = Indikatorverdi
        fields = ["aar", "verdi", "kilde", "kommentar", "updated_at", "demo"]


class IndikatorSerializer(serializers.ModelSerializer):
    handlingsprogram = serializers.SerializerMethodField(help_text="The programme's slug.")
    basis = IndikatorBasisSerializer(source="*", help_text="The baseline: a value, its year and its source.")
    maal = serializers.SerializerMethodField(help_text="The target, if one is set.")
    tiltak = TiltakRefSerializer(read_only=True, allow_null=True, help_text="The measure it measures, if any.")
    omraade = OmraadeRefSerializer(
        read_only=True, allow_null=True, help_text="The priority area it measures, if not a measure."
    )
    verdier = IndikatorverdiSerializer(many=True, read_only=True, help_text="The values recorded, by year.")
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()
    basis_verdi_kilde = serializers.SerializerMethodField()
    basis_aar_kilde = serializers.SerializerMethodField()

    class Meta:
        model = Indikator
        fields = [
            "id",
            "handlingsprogram",
            "navn",
            "beskrivelse",
            "maaleenhet",
            "retning",
            "basis",
            "maal",
            "tiltak",
            "omraade",
            "verdier",
            "url",
            "portal_url",
            "updated_at",
            "kilde",
            "basis_verdi_kilde",
            "basis_aar_kilde",
        ]
        extra_kwargs = {"updated_at": {"help_text": "Last change to the indicator or to one of its values."}}

    @extend_schema_field(kilde_field(help_text="The source of the indicator."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(kilde_field(help_text="The source of the baseline value (basis.verdi)."))
    def get_basis_verdi_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"), field_name="basis_verdi")

    @extend_schema_field(
        kilde_field(
            help_text="The source of the baseline year (basis.aar): stated, or inferred where the document gives none."
        )
    )
    def get_basis_aar_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"), field_name="basis_aar")

    def get_handlingsprogram(self, obj) -> str:
        return obj.handlingsprogram.slug

    @extend_schema_field(IndikatorMaalSerializer(allow_null=True))
    def get_maal(self, obj):
        if obj.maal_verdi is None:
            return None
        return IndikatorMaalSerializer({"verdi": obj.maal_verdi, "aar": obj.maal_aar}).data

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:indikator-detail", kwargs={"pk": obj.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class FinansieringsprogramRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    navn = serializers.CharField()


class ProsjektSerializer(serializers.ModelSerializer):
    finansieringsprogram = FinansieringsprogramRefSerializer(read_only=True)
    aktoerer = AktoerRefSerializer(many=True, read_only=True, help_text="The Trøndelag organisations taking part.")
    totalbudsjett = _amount(help_text="The whole project's budget, in its currency.")
    innvilget_trondelag = _amount(help_text="Granted to the Trøndelag partners, in the project's currency.")
    kurs = _rate(
        allow_null=True,
        help_text="NOK per unit of the currency in the project's start year (1 for NOK); null if no rate is entered.",
    )
    innvilget_nok = _amount(
        max_digits=20, allow_null=True, help_text="innvilget_trondelag in NOK at that rate; null without a rate."
    )
    tiltak = TiltakRefSerializer(many=True, read_only=True, help_text="The measures the project serves.")
    # The API's names since v1 (a public contract); the model says start_date and end_date.
    startdato = serializers.DateField(source="start_date")
    sluttdato = serializers.DateField(source="end_date")
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(
        help_text="Last change to the project, or to the exchange rate its NOK sum uses."
    )
    kurs_demo = serializers.BooleanField(
        help_text="Whether kurs (and so innvilget_nok) is a made-up demo exchange rate."
    )

    class Meta:
        model = Prosjekt
        fields = [
            "id",
            "ekstern_id",
            "navn",
            "akronym",
            "finansieringsprogram",
            "utlysning",
            "rolle",
            "aktoerer",
            "startdato",
            "sluttdato",
            "status",
            "totalbudsjett",
            "innvilget_trondelag",
            "valuta",
            "kurs",
            "innvilget_nok",
            "tiltak",
            "url",
            "portal_url",
            "updated_at",
            "demo",
            "kurs_demo",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:prosjekt-detail", kwargs={"pk": obj.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return self.context["request"].build_absolute_uri(obj.get_absolute_url())


class ValutakursSerializer(serializers.ModelSerializer):
    kurs = _rate(help_text="NOK per unit of the currency, for the year.")

    class Meta:
        model = Valutakurs
        fields = ["aar", "valuta", "kurs", "kilde", "updated_at", "demo"]
