"""In-app notifications (varsler). A small app of its own, just above the programme app (it only needs the User),
so that every app that has something to tell a user (tiltak's rounds and requests now; comments and followed
networks later) can create one without the layers bending."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Varsel(models.Model):
    """One notification to one user: what happened (``text``, written when it happened, in the portal's language)
    and where to look (``link``, a path inside the portal). Unread until the user marks it read.

    ``kind`` is what an e-mail preference or digest will choose on; ``emailed_at`` is where a sender records that
    it went out (nothing sends e-mail yet: ``selectors.varsler_due_for_email`` lists what would be due)."""

    class Kind(models.TextChoices):
        RUNDE_AAPNET = "runde_aapnet", _("Reporting round opened")
        FORESPOERSEL = "forespoersel", _("Request for an update")
        FORESPOERSEL_BESVART = "forespoersel_besvart", _("Request answered")
        KOMMENTAR = "kommentar", _("Comment on an entry")

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
        ]

    def __str__(self):
        return f"{self.user}: {self.text[:60]}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
