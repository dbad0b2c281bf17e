"""
Messages in and out: each inbound message recorded once per provider message
id (a webhook re-sent is a duplicate, never a second order), each outbound
message once per idempotency key (a task run twice sends once).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MEDIA = [("sms", _("Text message (SMS)")), ("whatsapp", _("WhatsApp"))]


class InboundMessage(models.Model):
    provider = models.CharField(_("provider"), max_length=32)
    message_id = models.CharField(_("provider's message id"), max_length=128)
    medium = models.CharField(_("medium"), max_length=8, choices=MEDIA)
    sender = models.CharField(_("from"), max_length=20)
    recipient = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="+", verbose_name=_("channel")
    )
    date_received = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        ordering = ("-date_received",)
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        constraints = [
            models.UniqueConstraint(fields=("provider", "message_id"), name="inbound_once"),
        ]

    def __str__(self):
        return f"{self.sender} → {self.recipient}: {self.text[:40]}"


class OutboundMessage(models.Model):
    QUEUED, SENT, FAILED = "queued", "sent", "failed"
    STATUSES = [
        (QUEUED, pgettext_lazy("message", "Queued")),
        (SENT, pgettext_lazy("message", "Sent")),
        (FAILED, pgettext_lazy("message", "Failed")),
    ]

    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    medium = models.CharField(_("medium"), max_length=8, choices=MEDIA)
    to = models.CharField(_("to"), max_length=20)
    sender = models.CharField(_("from"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8)
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.PROTECT, related_name="+", verbose_name=_("channel")
    )
    in_reply_to = models.ForeignKey(
        InboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies",
        verbose_name=_("in reply to"),
    )
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=QUEUED)
    provider = models.CharField(_("provider"), max_length=32, blank=True)
    provider_message_id = models.CharField(_("provider's message id"), max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("last error"), max_length=255, blank=True)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)
    date_sent = models.DateTimeField(_("date sent"), null=True, blank=True)

    class Meta:
        ordering = ("-date_created",)
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")
        indexes = [models.Index(fields=("to", "date_created"), name="outbound_by_number")]

    def __str__(self):
        return f"→ {self.to}: {self.text[:40]}"
from .models_sandbox import SandboxMessage  # noqa: E402,F401  (the sandbox's handsets)
