from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel
from .program import Handlingsprogram, PrioritertOmraade

KEY_PATTERN = r"[a-z0-9]+(?:[.-][a-z0-9]+)*"


class Programtekst(TimestampedModel):
    """One part of the programme document as adopted, word for word: a chapter, an appendix, a fact box, a figure's
    text or a footnote, in document order. The rows are the document; the portal's working data (areas, tiltak,
    goals, networks …) is kept in its own models, and a part whose content is such data says so (``modelled_as``)
    instead of holding a second copy of it."""

    class Type(models.TextChoices):
        KAPITTEL = "kapittel", _("Chapter")
        VEDLEGG = "vedlegg", _("Appendix")
        FAKTABOKS = "faktaboks", _("Fact box")
        FIGUR = "figur", _("Figure")
        FOTNOTE = "fotnote", _("Footnote")

    class ModelledAs(models.TextChoices):
        PROGRAMME_INTRODUCTION = "programme_introduction", _("The programme's introduction")
        PRIORITY_AREA = "priority_area", _("A priority area with its measures")
        GOALS = "goals", _("Governing documents and goals")
        FUNDING_PROGRAMMES = "funding_programmes", _("EU/EEA and Nordic programmes")
        NETWORKS = "networks", _("Networks and organisations")

    handlingsprogram = models.ForeignKey(
        Handlingsprogram, on_delete=models.CASCADE, related_name="tekster", verbose_name=_("action programme")
    )
    type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    key = models.CharField(
        _("key"),
        max_length=60,
        validators=[
            RegexValidator(
                f"^{KEY_PATTERN}$", _('Lower-case letters and digits, parts joined by "." or "-", e.g. 1.4.')
            )
        ],
        help_text=_("Names the part within its programme, e.g. 1.4, vedlegg-5 or fotnote-2."),
    )
    number = models.CharField(
        _("number"), max_length=20, blank=True, help_text=_("The chapter, appendix or footnote number.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True, help_text=_("The heading as the document has it."))
    text = models.TextField(
        _("text"),
        blank=True,
        help_text=_(
            'Word for word. Paragraphs are separated by an empty line; a line that starts with "•" or "▪" is an '
            "item of a list."
        ),
    )
    position = models.PositiveIntegerField(_("position in the document"))
    forelder = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deler",
        verbose_name=_("part of"),
        help_text=_("The chapter a section, fact box or footnote belongs to."),
    )
    omraade = models.ForeignKey(
        PrioritertOmraade,
        # RESTRICT, not PROTECT: an area alone cannot be deleted while its chapter text points to it, but deleting
        # the whole programme (which takes both) still works.
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="programtekster",
        verbose_name=_("priority area"),
        help_text=_("For the chapter of a priority area: the area, whose page shows the chapter."),
    )
    refers_to = models.CharField(
        _("refers to"),
        max_length=200,
        blank=True,
        help_text=_("For a footnote: the words in its chapter's text that its number follows."),
    )
    modelled_as = models.CharField(
        _("kept in the portal as"),
        max_length=30,
        blank=True,
        choices=ModelledAs.choices,
        help_text=_("Where the content of this part is kept as data in the portal (it is not copied here)."),
    )
    source = models.CharField(_("source"), max_length=300, help_text=_("Where in the document the part is."))
    source_url = models.URLField(
        _("web address in the document"), max_length=500, blank=True, help_text=_("A link the document gives here.")
    )

    class Meta:
        ordering = ["handlingsprogram", "position"]
        verbose_name = _("programme text")
        verbose_name_plural = _("programme texts")
        constraints = [
            models.UniqueConstraint(fields=["handlingsprogram", "key"], name="programtekst_unique_key"),
            models.UniqueConstraint(fields=["handlingsprogram", "position"], name="programtekst_unique_position"),
            models.CheckConstraint(
                condition=Q(modelled_as="priority_area", omraade__isnull=False)
                | (~Q(modelled_as="priority_area") & Q(omraade__isnull=True)),
                name="programtekst_area_iff_priority_area",
            ),
            models.CheckConstraint(
                condition=Q(type="fotnote") | Q(refers_to=""), name="programtekst_refers_to_only_footnotes"
            ),
        ]

    def __str__(self):
        if self.type == self.Type.FOTNOTE:
            return f"{self.get_type_display()} {self.number}"
        return self.title or self.key

    def clean(self):
        errors = {}
        if self.forelder_id and self.forelder.handlingsprogram_id != self.handlingsprogram_id:
            errors["forelder"] = _("The part must belong to the same programme.")
        if self.omraade_id and self.omraade.handlingsprogram_id != self.handlingsprogram_id:
            errors["omraade"] = _("The priority area must belong to the same programme.")
        if errors:
            raise ValidationError(errors)

    @property
    def anchor(self) -> str:
        """The fragment the programme document page gives this part (``#kapittel-1-4``, ``#vedlegg-5``)."""
        return f"kapittel-{self.key.replace('.', '-')}" if self.type == self.Type.KAPITTEL else self.key

    def get_absolute_url(self):
        url = reverse("handlingsprogram:programdokument", kwargs={"program": self.handlingsprogram.slug})
        return f"{url}#{self.anchor}"

    def content_url(self) -> str:
        """The page that shows what this part's content is kept as (``modelled_as``), or "" when it has none."""
        match self.modelled_as:
            case self.ModelledAs.PROGRAMME_INTRODUCTION:
                return self.handlingsprogram.get_absolute_url()
            case self.ModelledAs.PRIORITY_AREA:
                return self.omraade.get_absolute_url()
            case self.ModelledAs.GOALS:
                return reverse("handlingsprogram:styringsdokumenter", kwargs={"program": self.handlingsprogram.slug})
            case self.ModelledAs.FUNDING_PROGRAMMES:
                return reverse("handlingsprogram:finansieringsprogrammer")
            case self.ModelledAs.NETWORKS:
                return reverse("nettverk:list")
        return ""
