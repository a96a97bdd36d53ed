"""Tiltak and statusmeldinger as partners read them.

``TiltakSerializer`` declares its fields (they make the OpenAPI schema) but builds each representation
directly from the plain rows of ``selectors.tiltak_for_api`` and the related rows fetched once per page by
``selectors.tiltak_relations``: DRF's per-field machinery over model instances costs several times the
database work for a list of a thousand tiltak (see BENCHMARKS.md)."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from felles.api.kilde import KildeLinkSerializer, kilde_data, kilde_field
from tiltak import selectors
from tiltak.models import Ansvar, Statusmelding, StatusmeldingVedlegg

# The same rendering of times as every other resource (DRF's, in the portal's time zone).
_DATETIME = serializers.DateTimeField()

# Placeholders that cannot occur in a slug or a code, replaced per row: one reverse() per page, not per row.
_PROGRAM, _KODE = "PROGRAM-SLUG", "0.0.0"


def _url_template(request, name: str) -> str:
    path = reverse(name, kwargs={"program": _PROGRAM, "kode": _KODE})
    return request.build_absolute_uri(path) if request else path


def _url_templates(request) -> tuple[str, str, str]:
    statusmeldinger = reverse("api:statusmelding-list")
    return (
        _url_template(request, "api:tiltak-detail"),
        _url_template(request, "tiltak:detail"),
        request.build_absolute_uri(statusmeldinger) if request else statusmeldinger,
    )


class AnsvarSerializer(serializers.Serializer):
    rolle = serializers.ChoiceField(choices=Ansvar.Rolle.choices)
    aktoer = serializers.SlugField(help_text="The actor's slug.")
    aktoer_navn = serializers.CharField()
    enhet = serializers.SlugField(allow_null=True, help_text="The unit's slug within the actor, if any.")
    enhet_navn = serializers.CharField(allow_null=True)
    utledet = serializers.BooleanField(
        help_text="Some part (actor, unit or role) was inferred by the portal, not stated in the programme document."
    )
    kilde = kilde_field(help_text="The source of the actor's responsibility.")
    enhet_kilde = kilde_field(help_text="The source of the unit (null when there is no unit).")
    rolle_kilde = kilde_field(help_text="The source of the role (lead or contributor).")


class OmraadeRefSerializer(serializers.Serializer):
    nummer = serializers.IntegerField()
    slug = serializers.SlugField()
    navn = serializers.CharField()


class InnsatsomraadeRefSerializer(serializers.Serializer):
    kode = serializers.CharField(help_text='e.g. "2.1"')
    navn = serializers.CharField()


class LineageRefSerializer(serializers.Serializer):
    handlingsprogram = serializers.SlugField(help_text="The other programme's slug.")
    kode = serializers.CharField(
        allow_null=True, help_text="The other measure's code in that programme; null for a measure that was closed."
    )
    beslutning = serializers.ChoiceField(
        choices=["viderefoert", "endret", "slaatt_sammen", "delt", "avsluttet"],
        help_text="The rollover decision: continued, changed, merged, split or closed.",
    )


class TiltakListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        rows = list(data)
        relations = selectors.tiltak_relations([row["id"] for row in rows])
        templates = _url_templates(self.context.get("request"))
        return [self.child.build(row, relations, templates) for row in rows]


class TiltakSerializer(serializers.Serializer):
    handlingsprogram = serializers.SlugField(help_text="The programme's slug.")
    kode = serializers.CharField(help_text='Area, focus area and measure number, e.g. "2.3.1"; unique per programme.')
    tekst = serializers.CharField()
    omraade = OmraadeRefSerializer(help_text="The priority area.")
    innsatsomraade = InnsatsomraadeRefSerializer(help_text="The focus area.")
    status = serializers.ChoiceField(
        choices=Statusmelding.Status.choices, allow_null=True, help_text="From the latest status report, if any."
    )
    vurdering = serializers.ChoiceField(choices=Statusmelding.Vurdering.choices, allow_null=True)
    siste_statusmelding = serializers.DateField(allow_null=True, help_text="Date of the latest status report.")
    status_demo = serializers.BooleanField(
        help_text="Whether status, vurdering and siste_statusmelding come from made-up demo content."
    )
    ansvar = AnsvarSerializer(many=True)
    baerekraftsmaal = serializers.ListField(child=serializers.IntegerField(), help_text="SDG numbers.")
    maal = serializers.ListField(child=serializers.CharField(), help_text='Goals as "<document slug>#<number>".')
    nettverk = serializers.ListField(child=serializers.SlugField(), help_text="Networks' slugs.")
    kilde = kilde_field(help_text="The source of the measure.")
    baerekraftsmaal_kilder = KildeLinkSerializer(many=True, help_text="The source of each SDG link, in list order.")
    maal_kilder = KildeLinkSerializer(many=True, help_text="The source of each goal link, in list order.")
    nettverk_kilder = KildeLinkSerializer(many=True, help_text="The source of each network link, in list order.")
    url = serializers.URLField(help_text="This measure in the API.")
    portal_url = serializers.URLField(help_text="The measure's page in the portal.")
    statusmeldinger_url = serializers.URLField(help_text="Its status reports in the API.")
    updated_at = serializers.DateTimeField(help_text="Last change to the measure, its responsibilities or reports.")
    forgjengere = LineageRefSerializer(
        many=True, help_text="The measures of the previous programme this one was rolled over from."
    )
    etterfoelgere = LineageRefSerializer(
        many=True,
        help_text="What became of the measure in the next programme (once adopted): its successors, or one "
        "entry without a code if it was closed.",
    )

    class Meta:
        list_serializer_class = TiltakListSerializer

    def to_representation(self, instance):
        templates = _url_templates(self.context.get("request"))
        return self.build(instance, selectors.tiltak_relations([instance["id"]]), templates)

    def build(self, row: dict, relations: selectors.TiltakRelations, templates: tuple[str, str, str]) -> dict:
        program = row["innsatsomraade__omraade__handlingsprogram__slug"]
        area = row["innsatsomraade__omraade__nummer"]
        innsats = f"{area}.{row['innsatsomraade__nummer']}"
        kode = f"{innsats}.{row['nummer']}"
        api_url = templates[0].replace(_PROGRAM, program).replace(_KODE, kode)
        siste = row["siste_dato"]
        request = self.context.get("request")
        tiltak_id = row["id"]

        def source(*key):
            return kilde_data(relations.kilde(*key), request=request)

        ansvar = []
        for item in relations.ansvar.get(tiltak_id, []):
            parts = {name: relations.kilde("ansvar", item["id"], name) for name in ("", "enhet", "rolle")}
            ansvar.append(
                {name: value for name, value in item.items() if name != "id"}
                | {
                    "utledet": any(k is not None and k.type == "utledet" for k in parts.values()),
                    "kilde": kilde_data(parts[""], request=request),
                    "enhet_kilde": kilde_data(parts["enhet"], request=request) if item["enhet"] else None,
                    "rolle_kilde": kilde_data(parts["rolle"], request=request),
                }
            )
        sdg_ids = relations.sdg_ids.get(tiltak_id, {})
        maal_ids = relations.maal_ids.get(tiltak_id, {})
        nettverk_ids = relations.nettverk_ids.get(tiltak_id, {})
        return {
            "handlingsprogram": program,
            "kode": kode,
            "tekst": row["tekst"],
            "omraade": {
                "nummer": area,
                "slug": row["innsatsomraade__omraade__slug"],
                "navn": row["innsatsomraade__omraade__navn"],
            },
            "innsatsomraade": {"kode": innsats, "navn": row["innsatsomraade__navn"]},
            "status": row["siste_status"],
            "vurdering": row["siste_vurdering"],
            "siste_statusmelding": siste.isoformat() if siste else None,
            "ansvar": ansvar,
            "baerekraftsmaal": relations.baerekraftsmaal.get(tiltak_id, []),
            "maal": relations.maal.get(tiltak_id, []),
            "nettverk": relations.nettverk.get(tiltak_id, []),
            "kilde": source("tiltak", tiltak_id),
            "baerekraftsmaal_kilder": [
                {"id": str(nummer), "kilde": source("tiltak", tiltak_id, "baerekraftsmaal", sdg_ids[nummer])}
                for nummer in relations.baerekraftsmaal.get(tiltak_id, [])
            ],
            "maal_kilder": [
                {"id": ref, "kilde": source("tiltak", tiltak_id, "maal", maal_ids[ref])}
                for ref in relations.maal.get(tiltak_id, [])
            ],
            "nettverk_kilder": [
                {"id": slug, "kilde": source("nettverk", nettverk_ids[slug], "tiltak", tiltak_id)}
                for slug in relations.nettverk.get(tiltak_id, [])
            ],
            "url": api_url,
            "portal_url": templates[1].replace(_PROGRAM, program).replace(_KODE, kode),
            "statusmeldinger_url": f"{templates[2]}?handlingsprogram={program}&tiltak={kode}",
            "updated_at": _DATETIME.to_representation(row["updated_at"]),
            "status_demo": bool(row["siste_demo"]),
            "forgjengere": relations.forgjengere.get(row["id"], []),
            "etterfoelgere": relations.etterfoelgere.get(row["id"], []),
        }


class StatusmeldingSerializer(serializers.ModelSerializer):
    """A status report's public fields. A report that no longer counts says why: corrected (erstattet_av, the
    correction's id) or withdrawn (trukket_tilbake, when)."""

    handlingsprogram = serializers.SlugField(source="tiltak.innsatsomraade.omraade.handlingsprogram.slug")
    tiltak = serializers.CharField(source="tiltak.kode", help_text='The measure\'s code, e.g. "2.1.2".')
    korrigerer = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="The id of the status report this one corrects."
    )
    erstattet_av = serializers.PrimaryKeyRelatedField(
        source="superseded_by",
        read_only=True,
        allow_null=True,
        help_text="The id of the status report that corrects this one; set, this one no longer counts.",
    )
    korreksjonsgrunn = serializers.CharField(
        source="correction_reason", help_text="Why the report this one corrects was corrected (may be empty)."
    )
    gjeldende = serializers.BooleanField(
        source="is_effective",
        help_text="Whether the report counts: neither corrected by a later report nor withdrawn.",
    )
    url = serializers.SerializerMethodField()
    tiltak_url = serializers.SerializerMethodField()

    class Meta:
        model = Statusmelding
        fields = [
            "id",
            "handlingsprogram",
            "tiltak",
            "dato",
            "status",
            "vurdering",
            "gjennomfoert",
            "resultater",
            "neste_steg",
            "korrigerer",
            "trukket_tilbake",
            "url",
            "tiltak_url",
            "created_at",
            "updated_at",
            "erstattet_av",
            "korreksjonsgrunn",
            "gjeldende",
            "demo",
        ]
        # The public names stay as partners know them; the model's fields have English names.
        extra_kwargs = {"dato": {"source": "date"}, "trukket_tilbake": {"source": "withdrawn_at"}}

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return self.context["request"].build_absolute_uri(reverse("api:statusmelding-detail", kwargs={"pk": obj.pk}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_tiltak_url(self, obj):
        path = reverse(
            "api:tiltak-detail",
            kwargs={"program": obj.tiltak.innsatsomraade.omraade.handlingsprogram.slug, "kode": obj.tiltak.kode},
        )
        return self.context["request"].build_absolute_uri(path)


class StatusmeldingVedleggSerializer(serializers.ModelSerializer):
    """A document attached to a status report: its name, kind, size and where a logged-in user downloads it."""

    url = serializers.SerializerMethodField()

    class Meta:
        model = StatusmeldingVedlegg
        fields = ["navn", "type", "stoerrelse", "url"]

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        path = reverse("tiltak:statusmelding_vedlegg_download", kwargs={"pk": obj.pk})
        return self.context["request"].build_absolute_uri(path)


class StatusmeldingInternalSerializer(StatusmeldingSerializer):
    """For staff logged in to the portal: also the internal remark, why a report was withdrawn, and the documents
    attached to it (internal like the remark)."""

    vedlegg = StatusmeldingVedleggSerializer(many=True, read_only=True)

    class Meta(StatusmeldingSerializer.Meta):
        fields = [*StatusmeldingSerializer.Meta.fields, "intern_merknad", "trukket_tilbake_begrunnelse", "vedlegg"]
