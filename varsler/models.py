"""In-app notifications (varsler). A small app of its own, just above the programme app (it only needs the User),
so that every app that has something to tell a user (tiltak's rounds and requests, comments, followed networks)
can create one without the layers bending. Also here: each user's choice of e-mail per kind
(``Varselinnstilling``), the e-mail outbox (``Utsending``) and what a user follows (``Foelging``)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Varsel(models.Model):
    """One notification to one user: what happened (``text``, written when it happened, in the portal's language)
    and where to look (``link``, a path inside the portal). Unread until the user marks it read.

    ``kind`` is what the user's e-mail preference (``Varselinnstilling``) chooses on; ``utsending`` is the e-mail
    that carries it (alone, or in a digest), ``emailed_at`` when that e-mail went out. ``key`` (blank for most)
    names a notification that must reach each user once, e.g. a round's 7-day reminder, however often the
    scheduler runs."""

    class Kind(models.TextChoices):
        RUNDE_AAPNET = "runde_aapnet", _("Reporting round opened")
        FORESPOERSEL = "forespoersel", _("Request for an update")
        FORESPOERSEL_BESVART = "forespoersel_besvart", _("Request answered")
        KOMMENTAR = "kommentar", _("Comment on an entry")
        RUNDE_FRIST = "runde_frist", _("Reporting round deadline approaching")
        TILBAKERAPPORTERING = "tilbakerapportering", _("Report-back from a network or area you follow")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="varsler", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=500)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True, editable=False)
    # Set for notifications about demo content (a demo round or request), marked wherever they are shown.
    demo = models.BooleanField(_("demo data"), default=False, editable=False)
    key = models.CharField(_("key"), max_length=100, blank=True, editable=False)
    # SET_NULL, not PROTECT: deleting a user removes both their notifications and their e-mails.
    utsending = models.ForeignKey(
        "Utsending",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="varsler",
        verbose_name=_("e-mail"),
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            # The header's unread count on every page.
            models.Index(fields=["user"], condition=Q(read_at__isnull=True), name="varsel_unread"),
            models.Index(fields=["user", "-created_at", "-id"], name="varsel_user_latest"),
        ]
        constraints = [
            # A link is a path inside the portal, never an address elsewhere.
            models.CheckConstraint(condition=Q(link="") | Q(link__startswith="/"), name="varsel_link_local"),
            models.UniqueConstraint(fields=["user", "key"], condition=~Q(key=""), name="varsel_key_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user}: {self.text[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Levering(models.TextChoices):
    """How a user wants one kind of notification: always in the portal's list, and perhaps by e-mail too."""

    APP = "app", _("Only in the portal")
    STRAKS = "straks", _("Also by e-mail at once")
    DAGLIG = "daglig", _("Also in a daily e-mail digest")
    UKENTLIG = "ukentlig", _("Also in a weekly e-mail digest")


# What a user gets until they choose otherwise (the preferences page shows these as the defaults): what asks
# something of the user comes at once, what is good to know comes in a digest, answers stay in the portal.
DEFAULT_LEVERING = {
    Varsel.Kind.RUNDE_AAPNET: Levering.STRAKS,
    Varsel.Kind.RUNDE_FRIST: Levering.STRAKS,
    Varsel.Kind.FORESPOERSEL: Levering.STRAKS,
    Varsel.Kind.FORESPOERSEL_BESVART: Levering.APP,
    Varsel.Kind.KOMMENTAR: Levering.DAGLIG,
    Varsel.Kind.TILBAKERAPPORTERING: Levering.UKENTLIG,
}


class Varselinnstilling(models.Model):
    """A user's own choice for one kind of notification. Only choices that differ from ``DEFAULT_LEVERING`` are
    stored, so a user who never chose follows the defaults, also when they change."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="varselinnstillinger",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Varsel.Kind.choices)
    levering = models.CharField(_("delivery"), max_length=20, choices=Levering.choices)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="varselinnstilling_one_per_kind")]

    def __str__(self):
        return f"{self.user}: {self.kind} → {self.levering}"


class Utsending(models.Model):
    """One e-mail to one user in the outbox: a single notification (``key`` «varsel:<id>») or a digest
    («daglig:<date>», «ukentlig:<year>-W<week>»). Subject and body are written when the row is made, so a retry
    sends exactly what the first attempt would have.

    The states and what they guarantee (services.utsending_send):
    ventende → sender (claimed: committed *before* the SMTP conversation, with the Message-ID) → sendt.
    A worker that dies between the server's "250 OK" and marking the row leaves it "sender"; nobody sends a row
    in that state again, and once its lease has run out it is marked "usikker" (perhaps delivered, perhaps not)
    for an operator to look at. So an e-mail goes out at most once per (user, key); the notification itself is
    never lost, it stays in the portal's list."""

    class Status(models.TextChoices):
        VENTENDE = "ventende", _("Waiting")
        SENDER = "sender", _("Being sent")
        SENDT = "sendt", _("Sent")
        USIKKER = "usikker", _("Uncertain (the sender stopped mid-send)")
        FEILET = "feilet", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="utsendinger", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=100)
    to_email = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.VENTENDE)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="utsending_once_per_user_and_key")]
        indexes = [models.Index(fields=["status", "created_at"], name="utsending_status")]

    def __str__(self):
        return f"{self.key} → {self.to_email} ({self.status})"


class Foelging(models.Model):
    """A user follows a network (and its sub-networks) or a priority area, and is told of its new report-backs.
    The followed object is generic because this app sits below the apps that own networks; which models may be
    followed is decided by the apps that offer the button (nettverk, tiltak)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="foelginger", verbose_name=_("user")
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind of object"))
    object_id = models.PositiveBigIntegerField(_("object"))
    followed = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="foelging_once_per_user")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="foelging_object")]

    def __str__(self):
        return f"{self.user} → {self.content_type.model} {self.object_id}"
