"""Messages in the back office: the superuser's record of what went in and out (read only)."""

from django.contrib import admin

from marketplace.backoffice.scoping import ReadOnly, ScopedAdmin

from .models import InboundMessage, OutboundMessage


class _ReadOnly(ReadOnly, ScopedAdmin, admin.ModelAdmin):
    scope = {}  # the superuser's alone: shoppers' numbers and texts


@admin.register(InboundMessage)
class InboundMessageAdmin(_ReadOnly):
    list_display = ("date_received", "medium", "sender", "recipient", "text", "provider")
    list_filter = ("medium", "provider")
    search_fields = ("sender", "recipient", "message_id")


@admin.register(OutboundMessage)
class OutboundMessageAdmin(_ReadOnly):
    list_display = ("date_created", "medium", "to", "status", "attempts", "text", "provider")
    list_filter = ("medium", "status", "provider")
    search_fields = ("to", "key", "provider_message_id")
