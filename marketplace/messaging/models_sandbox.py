"""What the sandbox provider "delivered": the handsets of the sandbox, one row per message."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SandboxMessage(models.Model):
    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    message_id = models.CharField(_("provider's message id"), max_length=64, unique=True)
    medium = models.CharField(_("medium"), max_length=8)
    to = models.CharField(_("to"), max_length=20)
    text = models.TextField(_("text"))
    date_sent = models.DateTimeField(_("date sent"), auto_now_add=True)

    class Meta:
        app_label = "messaging"
        ordering = ("-date_sent", "-pk")
        verbose_name = _("sandbox message")
        verbose_name_plural = _("sandbox messages")

    def __str__(self):
        return f"→ {self.to}: {self.text[:40]}"
