"""
Onboarding a partner retailer by e-mail (issue 12, item 7).

A country operator invites an address in one of their channels; the invitee
gets a link ``/<cc>/retail/join/<token>/``. The token is signed (Django's
``signing``, its own salt) over the invitation's id and a random nonce, so it
cannot be forged or pointed at another invitation; it expires after
``RETAIL_INVITATION_DAYS`` and is used once (the invitation row is locked and
marked accepted in the transaction that opens the shop). Accepting sets a
password and creates the shop, its seller and the retailer's membership scoped
to that shop; the retailer then completes the profile (hours, photo, delivery
area) in the back office, where the operator's terms stay the operator's.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core import signing
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from marketplace.channels.context import storefront
from marketplace.locator.cities import city_named
from marketplace.memberships.services import membership_grant

from .models import Retailer, RetailerInvitation

SALT = "retail.invitation"


def valid_days() -> int:
    return int(getattr(settings, "RETAIL_INVITATION_DAYS", 7))


class InvitationError(Exception):
    def __init__(self, message, status=400):
        self.message, self.status = message, status
        super().__init__(str(message))


def token_for(invitation: RetailerInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def invitation_for_token(token: str, channel) -> RetailerInvitation:
    """The open invitation ``token`` names in ``channel``; ``InvitationError`` otherwise."""
    try:
        data = signing.loads(str(token)[:512], salt=SALT, max_age=timedelta(days=valid_days()))
    except signing.SignatureExpired as exc:
        raise InvitationError(_("This invitation has expired. Ask the marketplace for a new one."),
                              status=410) from exc
    except signing.BadSignature as exc:
        raise InvitationError(_("This invitation link is not valid."), status=404) from exc
    if not isinstance(data, dict) or not isinstance(data.get("i"), int):
        raise InvitationError(_("This invitation link is not valid."), status=404)
    invitation = RetailerInvitation.objects.filter(
        pk=data["i"], nonce=str(data.get("n")), channel=channel
    ).first()
    if invitation is None:
        raise InvitationError(_("This invitation link is not valid."), status=404)
    if invitation.accepted_at is not None:
        raise InvitationError(_("This invitation has already been used. Sign in instead."), status=410)
    if invitation.expires_at <= timezone.now():
        raise InvitationError(_("This invitation has expired. Ask the marketplace for a new one."),
                              status=410)
    return invitation


def invitation_create(*, channel, email: str, shop_name: str = "", invited_by=None) -> RetailerInvitation:
    """Record an invitation and e-mail its link after commit."""
    return invitation_save(
        RetailerInvitation(channel=channel, email=email, shop_name=shop_name), invited_by=invited_by
    )


def invitation_save(invitation: RetailerInvitation, *, invited_by=None) -> RetailerInvitation:
    """Save a new invitation (the admin's form filled channel, e-mail and shop name) and
    e-mail its link after commit."""
    invitation.invited_by = invited_by if invited_by is not None and invited_by.pk else None
    invitation.nonce = secrets.token_urlsafe(16)
    invitation.expires_at = timezone.now() + timedelta(days=valid_days())
    invitation.save()
    pk = invitation.pk
    transaction.on_commit(lambda: invitation_send(pk))
    return invitation


def invitation_send(invitation_id: int) -> bool:
    invitation = RetailerInvitation.objects.select_related("channel").filter(pk=invitation_id).first()
    if invitation is None or invitation.accepted_at is not None:
        return False
    channel = invitation.channel
    with storefront(channel, channel.default_language):
        scheme = "https" if settings.SESSION_COOKIE_SECURE else "http"
        path = reverse("retail:join", kwargs={"token": token_for(invitation)})
        url = f"{scheme}://{Site.objects.get_current().domain}{path}"
        body = _(
            "You are invited to sell on %(site)s in %(country)s as a partner shop.\n\n"
            "Open your shop and set your password here (valid for %(days)d days, once):\n%(url)s"
        ) % {"site": settings.OSCAR_SHOP_NAME, "country": str(channel), "days": valid_days(), "url": url}
        send_mail(_("Your partner shop on %(site)s") % {"site": settings.OSCAR_SHOP_NAME}, body,
                  settings.DEFAULT_FROM_EMAIL, [invitation.email])
    return True


@dataclass(frozen=True)
class Shop:
    name: str
    address: str
    city: str
    district: str
    phone: str


def _free_slug(channel, name: str) -> str:
    base = slugify(name)[:56] or "shop"
    slug, n = base, 1
    while Retailer.objects.filter(channel=channel, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def invitation_accept(invitation: RetailerInvitation, *, password: str, shop: Shop):
    """Open the shop and the retailer's account, once. Returns the user."""
    from .services import retailer_create

    with transaction.atomic():
        locked = RetailerInvitation.objects.select_for_update().select_related("channel").get(
            pk=invitation.pk
        )
        if locked.accepted_at is not None:
            raise InvitationError(_("This invitation has already been used. Sign in instead."),
                                  status=410)
        channel = locked.channel
        place = city_named(channel.country.code, shop.city)
        if place is None:
            raise InvitationError(_("We do not know this city in this country."))
        User = get_user_model()
        if User.objects.filter(username__iexact=locked.email).exists():
            raise InvitationError(_("An account with this e-mail exists already. Ask the "
                                    "marketplace to add the shop to it."), status=409)
        try:
            with transaction.atomic():
                user = User.objects.create_user(username=locked.email, email=locked.email,
                                                password=password, is_staff=True)
        except IntegrityError as exc:
            raise InvitationError(_("An account with this e-mail exists already. Ask the "
                                    "marketplace to add the shop to it."), status=409) from exc
        # The city's point until the retailer moves the pin in the back office.
        retailer = retailer_create(
            channel=channel, name=shop.name, slug=_free_slug(channel, shop.name),
            address=shop.address, city=place.name, district=shop.district,
            latitude=place.point.latitude, longitude=place.point.longitude, phone=shop.phone,
        )
        membership_grant(user=user, seller=retailer.partner)
        locked.accepted_at, locked.retailer = timezone.now(), retailer
        locked.save(update_fields=["accepted_at", "retailer"])
    return user
