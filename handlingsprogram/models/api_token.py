import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .aktoer import Aktoer

KEY_PREFIX_LENGTH = 8


def hash_key(key: str) -> str:
    """SHA-256 of the key. The keys are 256 random bits, so a fast hash is enough: there is nothing to
    brute-force, and a slow one (as for passwords) would cost every API request."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A partner's key to the API's higher rate limit. Only the key's hash is stored; the key itself is shown
    once, when a coordinator creates the token in the admin."""

    navn = models.CharField(_("name"), max_length=200, help_text=_("Who uses the key, and for what."))
    aktoer = models.ForeignKey(
        Aktoer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        verbose_name=_("partner"),
    )
    prefix = models.CharField(_("key prefix"), max_length=KEY_PREFIX_LENGTH, unique=True, editable=False)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.navn} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @classmethod
    def new_key(cls) -> tuple[str, str, str]:
        """A new key with its prefix and hash. The prefix (the key's first characters) lets coordinators tell
        keys apart in the admin without the key being stored."""
        key = secrets.token_urlsafe(32)
        return key, key[:KEY_PREFIX_LENGTH], hash_key(key)

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
