from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .aktoer import Aktoer
from .base import TimestampedModel
from .kilde import HasKilder
from .reference import Baerekraftsmaal, Maal, Styringsdokument


class HandlingsprogramQuerySet(models.QuerySet):
    def current(self):
        """The programme the portal shows by default: the newest adopted one by period, never a draft (a draft
        successor only becomes current when it is adopted). While no programme is adopted, the newest closed one
        (an archive is still the programme to read)."""
        adopted_first = Case(When(state=Handlingsprogram.State.VEDTATT, then=Value(0)), default=Value(1))
        return self.published().order_by(adopted_first, "-start_year", "-end_year").first()

    def published(self) -> "HandlingsprogramQuerySet":
        """Adopted and closed programmes: what anonymous users and the partner API see. Drafts are staff's."""
        return self.exclude(state=Handlingsprogram.State.UTKAST)


class Handlingsprogram(TimestampedModel):
    """One programme period, adopted by Fylkesutvalget and owned by TRFK and IN Trøndelag. A rolled-over successor
    starts as a draft (utkast) and becomes the adopted, current programme (vedtatt) when Fylkesutvalget adopts it;
    its predecessor is then closed (avsluttet): an archive, read-only."""

    class State(models.TextChoices):
        UTKAST = "utkast", _("Draft")
        VEDTATT = "vedtatt", _("Adopted")
        AVSLUTTET = "avsluttet", _("Closed")

    navn = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    innledning = models.TextField(_("introduction"), blank=True)
    vedtak = models.CharField(
        _("decision"), max_length=300, blank=True, help_text=_("Who adopted the programme, and when.")
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed programme takes no more progress reports.")
    )
    # is_closed is kept (its readers and the API field stay) and always equals state == avsluttet: save() keeps them
    # together and a constraint holds it in the database.
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.VEDTATT)
    adopted_on = models.DateField(_("date of adoption"), null=True, blank=True)
    case_number = models.CharField(
        _("case number"), max_length=50, blank=True, help_text=_("Fylkesutvalget's case number for the adoption.")
    )
    eiere = models.ManyToManyField(Aktoer, related_name="eide_handlingsprogrammer", verbose_name=_("owners"))
    styringsdokumenter = models.ManyToManyField(
        Styringsdokument, blank=True, related_name="handlingsprogrammer", verbose_name=_("governing documents")
    )
    # Four eyes on the annual reports and the final evaluation (rapportering): one coordinator marks a draft ready,
    # another approves it. Off, one coordinator approves in one step.
    four_eyes_approval = models.BooleanField(
        _("approval needs a second coordinator"),
        default=False,
        help_text=_(
            "When on, a coordinator marks an annual report or the final evaluation ready for approval, and another "
            "coordinator approves it."
        ),
    )
    # Set by load_demo only: a made-up successor (rolled over from the real programme) for trying the roll-over,
    # marked wherever the programme is shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    forgjenger = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="etterfoelger",
        verbose_name=_("rolled over from"),
    )

    # Rolling over and adopting are in the audit history.
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    objects = HandlingsprogramQuerySet.as_manager()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        constraints = [
            models.CheckConstraint(condition=Q(end_year__gte=F("start_year")), name="handlingsprogram_end_after_start"),
            models.CheckConstraint(
                condition=Q(start_year__gte=1990, start_year__lte=2100), name="handlingsprogram_sane_start_year"
            ),
            models.CheckConstraint(
                condition=Q(is_closed=True, state="avsluttet") | (Q(is_closed=False) & ~Q(state="avsluttet")),
                name="handlingsprogram_closed_is_state",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["utkast", "vedtatt", "avsluttet"]), name="handlingsprogram_state_valid"
            ),
        ]

    def __str__(self):
        return self.navn

    def _keep_closed_and_state_one(self) -> None:
        # Closing by either name closes: older code (and the admin) set is_closed, the roll-over sets state.
        if self.state == self.State.AVSLUTTET:
            self.is_closed = True
        elif self.is_closed:
            self.state = self.State.AVSLUTTET

    def clean(self):
        super().clean()
        self._keep_closed_and_state_one()

    def save(self, *args, **kwargs):
        self._keep_closed_and_state_one()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "state", "is_closed"}
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.UTKAST

    @property
    def periode(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    def get_absolute_url(self):
        return reverse("tiltak:programme", kwargs={"program": self.slug})


class PrioritertOmraade(HasKilder, TimestampedModel):
    """One of the programme's priority areas (2.1–2.4 in the 2020–2023 document)."""

    handlingsprogram = models.ForeignKey(
        Handlingsprogram, on_delete=models.CASCADE, related_name="omraader", verbose_name=_("action programme")
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    navn = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100)
    innledning = models.TextField(_("introduction"), blank=True)
    baerekraftsmaal = models.ManyToManyField(
        Baerekraftsmaal, blank=True, related_name="omraader", verbose_name=_("sustainable development goals")
    )
    maal = models.ManyToManyField(Maal, blank=True, related_name="omraader", verbose_name=_("goals"))

    class Meta:
        ordering = ["handlingsprogram", "nummer"]
        verbose_name = _("priority area")
        verbose_name_plural = _("priority areas")
        constraints = [
            models.UniqueConstraint(fields=["handlingsprogram", "nummer"], name="omraade_unique_number"),
            models.UniqueConstraint(fields=["handlingsprogram", "slug"], name="omraade_unique_slug"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="omraade_number_positive"),
        ]

    def __str__(self):
        return f"{self.nummer} {self.navn}"

    @property
    def innledning_ingress(self) -> str:
        """The introduction's first paragraph, for the overview page."""
        return self.innledning.strip().split("\n\n", 1)[0]

    def get_absolute_url(self):
        return reverse("tiltak:omraade", kwargs={"program": self.handlingsprogram.slug, "omraade": self.slug})


class Innsatsomraade(HasKilder, TimestampedModel):
    """A focus area: the ▪ headings in a priority area's TILTAK box."""

    omraade = models.ForeignKey(
        PrioritertOmraade,
        on_delete=models.CASCADE,
        related_name="innsatsomraader",
        verbose_name=_("priority area"),
    )
    nummer = models.PositiveSmallIntegerField(_("number"))
    navn = models.CharField(_("name"), max_length=300)
    # The document names its focus areas twice: as the headings of each area's TILTAK box (navn) and, differently,
    # in the overview box of chapter 1.1 («… HAR FIRE HOVEDTILTAK»). Both are the document's words.
    navn_oversikt = models.CharField(
        _("name in the programme overview"),
        max_length=300,
        blank=True,
        help_text=_("The name the overview of the programme (chapter 1.1) gives, where it has one."),
    )

    class Meta:
        ordering = ["omraade", "nummer"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        constraints = [
            models.UniqueConstraint(fields=["omraade", "nummer"], name="innsatsomraade_unique_number"),
            models.CheckConstraint(condition=Q(nummer__gte=1), name="innsatsomraade_number_positive"),
        ]

    def __str__(self):
        return f"{self.kode} {self.navn}"

    @property
    def kode(self) -> str:
        return f"{self.omraade.nummer}.{self.nummer}"
