"""The final evaluations as partners read them: approved ones only, with their PDF and its SHA-256."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rapportering.models import Sluttevaluering


def _absolute(serializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request else path


class SluttevalueringSerializer(serializers.ModelSerializer):
    handlingsprogram = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The programme evaluated (its slug)."
    )
    godkjent = serializers.DateTimeField(source="approved_at", read_only=True, help_text="When it was approved.")
    fu_moetedato = serializers.DateField(
        source="fu_meeting_date", read_only=True, allow_null=True, help_text="The meeting date in Fylkesutvalget."
    )
    programanbefaling = serializers.SerializerMethodField(
        help_text='The recommendation for the programme as approved: "rulleres", "rulleres_ikke" or "" (none).'
    )
    tiltakanbefalinger = serializers.SerializerMethodField(
        help_text='The recommendation per measure as approved, by code: "viderefoeres", "endres", "slaas_sammen" or '
        '"avsluttes", with the comment.'
    )
    klar_til_godkjenning = serializers.DateTimeField(
        source="ready_at",
        read_only=True,
        allow_null=True,
        help_text="When a coordinator marked the draft ready for approval; null when it was approved in one step.",
    )
    godkjent_av_to = serializers.SerializerMethodField(
        help_text="Whether it was approved by two coordinators: one marked it ready, another approved it (four eyes)."
    )
    pdf_url = serializers.SerializerMethodField(help_text="The approved PDF, byte for byte as approved.")
    pdf_sha256 = serializers.CharField(read_only=True, help_text="The SHA-256 of the approved PDF.")
    url = serializers.SerializerMethodField(help_text="This resource in the API.")
    portal_url = serializers.SerializerMethodField(help_text="The evaluation's page in the portal.")

    class Meta:
        model = Sluttevaluering
        fields = [
            "handlingsprogram",
            "versjon",
            "godkjent",
            "fu_moetedato",
            "fu_saksnummer",
            "programanbefaling",
            "tiltakanbefalinger",
            "klar_til_godkjenning",
            "godkjent_av_to",
            "pdf_url",
            "pdf_sha256",
            "url",
            "portal_url",
            "updated_at",
        ]

    def get_programanbefaling(self, obj) -> str:
        return obj.frozen_content["editorial"].get("programanbefaling", "")

    @extend_schema_field(serializers.DictField(child=serializers.DictField(child=serializers.CharField())))
    def get_tiltakanbefalinger(self, obj):
        return obj.frozen_content["editorial"].get("tiltak", {})

    def get_godkjent_av_to(self, obj) -> bool:
        return obj.ready_by_id is not None and obj.ready_by_id != obj.approved_by_id

    @extend_schema_field(OpenApiTypes.URI)
    def get_pdf_url(self, obj):
        return _absolute(
            self, reverse("rapportering:sluttevaluering_pdf", kwargs={"program": obj.handlingsprogram.slug})
        )

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, obj):
        return _absolute(self, reverse("api:sluttevaluering-detail", kwargs={"program": obj.handlingsprogram.slug}))

    @extend_schema_field(OpenApiTypes.URI)
    def get_portal_url(self, obj):
        return _absolute(self, obj.get_absolute_url())
