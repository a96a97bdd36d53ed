"""The programme's resources as partners read them. Identifiers are the stable ones people use: slugs, the
area's number within its programme, the focus area's code ("2.1"), the SDG's number."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from felles.api.kilde import KildeLinkSerializer, fact_kilde_data, kilde_field, links_kilde_data
from handlingsprogram.models import (
    Aktoer,
    Baerekraftsmaal,
    Enhet,
    Finansieringsprogram,
    Handlingsprogram,
    Innsatsomraade,
    Maal,
    PrioritertOmraade,
    Programtekst,
    Styringsdokument,
)


def absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class AktoerRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Aktoer
        fields = ["slug", "navn", "kortnavn"]


class HandlingsprogramSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="This resource in the API.")
    portal_url = serializers.SerializerMethodField(help_text="The programme's page in the portal.")
    eiere = AktoerRefSerializer(many=True, read_only=True)
    omraader = serializers.SerializerMethodField(help_text="The priority areas' API addresses, in order.")
    periode = serializers.CharField(read_only=True, help_text='The programme period, e.g. "2020–2023".')
    tilstand = serializers.ChoiceField(
        source="state",
        choices=["vedtatt", "avsluttet"],
        read_only=True,
        help_text="vedtatt: the adopted, current programme; avsluttet: closed, an archive. Drafts are not public.",
    )
    vedtatt_dato = serializers.DateField(
        source="adopted_on", read_only=True, allow_null=True, help_text="The date Fylkesutvalget adopted it."
    )
    saksnummer = serializers.CharField(
        source="case_number", read_only=True, help_text="Fylkesutvalget's case number for the adoption."
    )
    forgjenger = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True, help_text="The programme it was rolled over from, if any."
    )

    class Meta:
        model = Handlingsprogram
        fields = [
            "slug",
            "navn",
            "start_year",
            "end_year",
            "innledning",
            "vedtak",
            "is_closed",
            "eiere",
            "omraader",
            "url",
            "portal_url",
            "updated_at",
            "periode",
            "tilstand",
            "vedtatt_dato",
            "saksnummer",
            "forgjenger",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(self, reverse("api:handlingsprogram-detail", kwargs={"slug": obj.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, obj.get_absolute_url())

    @extend_schema_field(serializers.ListField(child=serializers.URLField()))
    def get_omraader(self, obj):
        return [
            absolute(self, reverse("api:omraade-detail", kwargs={"program": obj.slug, "slug": omraade.slug}))
            for omraade in obj.omraader.all()
        ]


class PrioritertOmraadeSerializer(serializers.ModelSerializer):
    handlingsprogram = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    baerekraftsmaal = serializers.SlugRelatedField(slug_field="nummer", many=True, read_only=True)
    maal = serializers.SerializerMethodField(help_text='The goals behind the area, as "<document slug>#<number>".')
    innsatsomraader = serializers.SerializerMethodField(help_text='The focus areas\' codes, e.g. "2.1".')
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()
    baerekraftsmaal_kilder = serializers.SerializerMethodField()
    maal_kilder = serializers.SerializerMethodField()

    class Meta:
        model = PrioritertOmraade
        fields = [
            "handlingsprogram",
            "nummer",
            "slug",
            "navn",
            "innledning",
            "baerekraftsmaal",
            "maal",
            "innsatsomraader",
            "url",
            "portal_url",
            "updated_at",
            "kilde",
            "baerekraftsmaal_kilder",
            "maal_kilder",
        ]

    @extend_schema_field(kilde_field(help_text="The source of the area."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(KildeLinkSerializer(many=True, help_text="The source of each SDG link, in list order."))
    def get_baerekraftsmaal_kilder(self, obj):
        links = [(str(b.nummer), b.pk) for b in obj.baerekraftsmaal.all()]
        return links_kilde_data(obj, "baerekraftsmaal", links, request=self.context.get("request"))

    @extend_schema_field(KildeLinkSerializer(many=True, help_text="The source of each goal link, in list order."))
    def get_maal_kilder(self, obj):
        links = [(f"{m.styringsdokument.slug}#{m.nummer}", m.pk) for m in obj.maal.all()]
        return links_kilde_data(obj, "maal", links, request=self.context.get("request"))

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_maal(self, obj):
        return [f"{maal.styringsdokument.slug}#{maal.nummer}" for maal in obj.maal.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_innsatsomraader(self, obj):
        return [f"{obj.nummer}.{innsats.nummer}" for innsats in obj.innsatsomraader.all()]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(
            self, reverse("api:omraade-detail", kwargs={"program": obj.handlingsprogram.slug, "slug": obj.slug})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, obj.get_absolute_url())


class InnsatsomraadeSerializer(serializers.ModelSerializer):
    handlingsprogram = serializers.CharField(source="omraade.handlingsprogram.slug", read_only=True)
    kode = serializers.CharField(read_only=True, help_text='Area number and focus area number, e.g. "2.1".')
    omraade = serializers.CharField(source="omraade.slug", read_only=True, help_text="The priority area's slug.")
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField(help_text="The priority area's page, where the focus area is.")
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Innsatsomraade
        fields = ["handlingsprogram", "kode", "nummer", "navn", "omraade", "url", "portal_url", "updated_at", "kilde"]

    @extend_schema_field(kilde_field(help_text="The source of the focus area."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(
            self,
            reverse(
                "api:innsatsomraade-detail",
                kwargs={"program": obj.omraade.handlingsprogram.slug, "kode": obj.kode},
            ),
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, obj.omraade.get_absolute_url())


class EnhetSerializer(serializers.ModelSerializer):
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Enhet
        fields = ["slug", "navn", "kilde"]

    @extend_schema_field(kilde_field(help_text="The source of the unit."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))


class AktoerSerializer(serializers.ModelSerializer):
    enheter = EnhetSerializer(many=True, read_only=True)
    nettsted = serializers.URLField(source="url", read_only=True, allow_blank=True, help_text="Its own web site.")
    url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Aktoer
        fields = ["slug", "navn", "kortnavn", "type", "nettsted", "enheter", "url", "updated_at", "kilde"]

    @extend_schema_field(kilde_field(help_text="The source of the actor."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(self, reverse("api:aktoer-detail", kwargs={"slug": obj.slug}))


class BaerekraftsmaalSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Baerekraftsmaal
        fields = ["nummer", "navn", "url", "updated_at"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(self, reverse("api:baerekraftsmaal-detail", kwargs={"nummer": obj.nummer}))


class MaalSerializer(serializers.ModelSerializer):
    id = serializers.SerializerMethodField(help_text='"<document slug>#<number>", as tiltak and areas refer to it.')
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Maal
        fields = ["id", "nummer", "type", "tekst", "kilde"]

    @extend_schema_field(kilde_field(help_text="The source of the goal."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    def get_id(self, obj) -> str:
        return f"{obj.styringsdokument.slug}#{obj.nummer}"


class StyringsdokumentSerializer(serializers.ModelSerializer):
    maal = MaalSerializer(many=True, read_only=True)
    nettsted = serializers.URLField(source="url", read_only=True, allow_blank=True)
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Styringsdokument
        fields = ["slug", "tittel", "type", "periode", "nettsted", "maal", "url", "portal_url", "updated_at", "kilde"]

    @extend_schema_field(kilde_field(help_text="The source of the governing document."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(self, reverse("api:styringsdokument-detail", kwargs={"slug": obj.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, reverse("handlingsprogram:styringsdokumenter_current"))


class FinansieringsprogramSerializer(serializers.ModelSerializer):
    # Both are null for many programmes (a top-level one; no stated budget), and the schema must say so.
    forelder = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    nettsted = serializers.URLField(source="url", read_only=True, allow_blank=True)
    budsjett = serializers.DecimalField(
        max_digits=16, decimal_places=0, read_only=True, allow_null=True, coerce_to_string=False
    )
    url = serializers.SerializerMethodField()
    portal_url = serializers.SerializerMethodField()
    kilde = serializers.SerializerMethodField()

    class Meta:
        model = Finansieringsprogram
        fields = [
            "slug",
            "navn",
            "forelder",
            "beskrivelse",
            "periode_start",
            "periode_slutt",
            "budsjett",
            "budsjett_valuta",
            "budsjett_merknad",
            "nettsted",
            "url",
            "portal_url",
            "updated_at",
            "kilde",
        ]
        # The public names stay as partners know them; the model's fields have English names.
        extra_kwargs = {"periode_start": {"source": "period_start"}, "periode_slutt": {"source": "period_end"}}

    @extend_schema_field(kilde_field(help_text="The source of the funding programme."))
    def get_kilde(self, obj):
        return fact_kilde_data(obj, request=self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(self, reverse("api:finansieringsprogram-detail", kwargs={"slug": obj.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, reverse("handlingsprogram:finansieringsprogrammer") + f"#fp-{obj.slug}")


class ProgramtekstSerializer(serializers.ModelSerializer):
    """A part of the programme document, word for word (see Programtekst)."""

    handlingsprogram = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    forelder = serializers.SlugRelatedField(
        slug_field="key", read_only=True, allow_null=True, help_text="The key of the chapter the part belongs to."
    )
    omraade = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text="For the chapter of a priority area: the area's slug (its text and measures are that resource's).",
    )
    text = serializers.CharField(
        read_only=True,
        help_text='Word for word. Paragraphs are separated by an empty line; a line starting with "• " or "▪ " is a '
        "list item. Empty where the part's content is other data (see modelled_as).",
    )
    url = serializers.SerializerMethodField(help_text="This resource in the API.")
    portal_url = serializers.SerializerMethodField(help_text="The part on the programme document's page.")
    content_url = serializers.SerializerMethodField(
        help_text="The portal page that shows the data the part's content is kept as (modelled_as), or null."
    )

    class Meta:
        model = Programtekst
        fields = [
            "handlingsprogram",
            "key",
            "type",
            "position",
            "number",
            "title",
            "text",
            "forelder",
            "refers_to",
            "modelled_as",
            "omraade",
            "source",
            "source_url",
            "url",
            "portal_url",
            "content_url",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return absolute(
            self, reverse("api:programtekst-detail", kwargs={"program": obj.handlingsprogram.slug, "key": obj.key})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return absolute(self, obj.get_absolute_url())

    @extend_schema_field({"type": "string", "format": "uri", "nullable": True})
    def get_content_url(self, obj):
        url = obj.content_url()
        return absolute(self, url) if url else None
