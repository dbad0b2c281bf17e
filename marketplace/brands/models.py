from django.db import models
from django.utils.translation import gettext_lazy as _


class Brand(models.Model):
    """A maker whose products are sold on the marketplace, and who may run official stores."""

    name = models.CharField(_("name"), max_length=128, unique=True)
    slug = models.SlugField(_("slug"), max_length=128, unique=True)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("name",)
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self):
        return self.name
