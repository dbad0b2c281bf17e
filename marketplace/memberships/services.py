"""Granting and revoking back-office roles."""

from django.db import transaction

from .models import Membership


@transaction.atomic
def membership_grant(*, user, brand=None, seller=None, channel=None, service_centre=None,
                     kind: str = Membership.OPERATOR) -> Membership:
    """Make ``user`` a member of one brand, seller or channel (idempotent).

    ``kind="agent"`` with a channel: one of its customer-service agents. A member
    works in the Django admin, so the user becomes staff.
    """
    if sum(x is not None for x in (brand, seller, channel, service_centre)) != 1:
        raise ValueError("a membership is of exactly one brand, seller, channel or service centre")
    membership, _ = Membership.objects.get_or_create(
        user=user, brand=brand, seller=seller, channel=channel, service_centre=service_centre, kind=kind
    )
    staff_ensure(user=user)
    return membership


def staff_ensure(*, user) -> None:
    """Members work in the Django admin, which only lets staff in."""
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


def membership_revoke(*, membership: Membership) -> None:
    membership.delete()
