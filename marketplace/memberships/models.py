"""Memberships: who works for which brand, seller or country."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import roles


class Membership(models.Model):
    """
    A back-office user's membership of exactly one brand, seller or channel.

    This is the only thing that grants a non-superuser access to the back
    office (Oscar's ``Partner.users`` is not used). The role follows from what
    the membership points at: see ``roles``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("user"),
    )
    brand = models.ForeignKey(
        "brands.Brand", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("brand"),
    )
    seller = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("seller"),
    )
    channel = models.ForeignKey(
        "channels.Channel", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("channel"),
    )
    # The staff of an authorised service centre (after-sales): named by label, so this
    # app imports nothing above it.
    service_centre = models.ForeignKey(
        "aftersales.ServiceCentre", on_delete=models.CASCADE, null=True, blank=True,
        related_name="memberships", verbose_name=_("service centre"),
    )
    # A channel's members are its operators, or its customer-service agents: a new
    # role is a new kind of membership, not a new mechanism.
    OPERATOR, AGENT = "", "agent"
    KINDS = [(OPERATOR, _("Country operator")), (AGENT, _("Customer-service agent"))]
    kind = models.CharField(_("kind"), max_length=16, choices=KINDS, default=OPERATOR, blank=True)
    date_created = models.DateTimeField(_("date created"), auto_now_add=True)

    class Meta:
        ordering = ("user", "pk")
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(brand__isnull=False, seller__isnull=True, channel__isnull=True,
                      service_centre__isnull=True)
                    | Q(brand__isnull=True, seller__isnull=False, channel__isnull=True,
                        service_centre__isnull=True)
                    | Q(brand__isnull=True, seller__isnull=True, channel__isnull=False,
                        service_centre__isnull=True)
                    | Q(brand__isnull=True, seller__isnull=True, channel__isnull=True,
                        service_centre__isnull=False)
                ),
                name="membership_exactly_one_object",
                violation_error_message=_("Choose exactly one brand, seller or channel."),
            ),
            models.UniqueConstraint(
                fields=("user", "brand"), condition=Q(brand__isnull=False),
                name="membership_unique_brand",
                violation_error_message=_("This user is already a member of this brand."),
            ),
            models.UniqueConstraint(
                fields=("user", "seller"), condition=Q(seller__isnull=False),
                name="membership_unique_seller",
                violation_error_message=_("This user is already a member of this seller."),
            ),
            models.UniqueConstraint(
                fields=("user", "channel", "kind"), condition=Q(channel__isnull=False),
                name="membership_unique_channel",
                violation_error_message=_("This user is already a member of this channel."),
            ),
            models.UniqueConstraint(
                fields=("user", "service_centre"), condition=Q(service_centre__isnull=False),
                name="membership_unique_service_centre",
                violation_error_message=_("This user is already a member of this service centre."),
            ),
            models.CheckConstraint(
                condition=Q(kind="") | Q(kind="agent", channel__isnull=False),
                name="membership_agent_of_a_channel",
                violation_error_message=_("A customer-service agent is a member of a channel."),
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.role_label}: {self.target}"

    @property
    def role(self) -> str | None:
        if self.brand_id:
            return roles.BRAND
        if self.seller_id:
            return roles.SELLER
        if self.channel_id:
            return roles.AGENT if self.kind == self.AGENT else roles.CHANNEL
        if self.service_centre_id:
            return roles.SERVICE_CENTRE
        return None

    @property
    def role_label(self):
        return roles.LABELS.get(self.role, "")

    @property
    def target(self):
        return self.brand or self.seller or self.channel or self.service_centre
