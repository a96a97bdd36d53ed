from django.contrib import admin

from handlingsprogram.permissions import user_is_koordinator

from .models import Utsending


@admin.register(Utsending)
class UtsendingAdmin(admin.ModelAdmin):
    """The e-mail outbox, for an operator: what went out, what is waiting, and what is "usikker" (a worker died
    mid-send; look for its Message-ID in the mail server's log). Read-only: the worker alone writes it."""

    list_display = ["key", "to_email", "status", "created_at", "claimed_at", "sent_at", "attempts"]
    list_filter = ["status"]
    search_fields = ["to_email", "key", "message_id"]
    readonly_fields = [
        "user",
        "key",
        "to_email",
        "subject",
        "body",
        "status",
        "created_at",
        "claimed_at",
        "sent_at",
        "message_id",
        "attempts",
        "error",
    ]
    fields = readonly_fields

    def has_view_permission(self, request, obj=None):
        return user_is_koordinator(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
