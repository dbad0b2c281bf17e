"""
Refunds paid back by hand: an order paid on delivery (or through a provider without refunds)
has no provider to call, so customer service pays the shopper back itself.

Four eyes: one operator records how the money went back (its transfer or mobile
money reference), a second one, never the same, confirms it; only then is the
refund done and the shopper told. The database refuses a payout confirmed by
whoever recorded it (``refund_payout_confirmed_by_another``). Services write.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .exceptions import RefundRefused
from .models import Refund
from .refund_emails import refund_outcome_queue


def _manual(refund_id: int) -> Refund:
    refund = Refund.objects.select_for_update().filter(pk=refund_id).first()
    if refund is None or refund.status != Refund.Status.MANUAL:
        raise RefundRefused(_("Only a refund to be paid back by hand is recorded or confirmed here."))
    return refund


def refund_payout_record(*, refund_id: int, operator, reference: str) -> Refund:
    """``operator`` paid the refund back by hand; ``reference`` says how."""
    reference = (reference or "").strip()
    if not reference:
        raise RefundRefused(_("Say how the money was paid back: its transfer or mobile money reference."))
    with transaction.atomic():
        refund = _manual(refund_id)
        if refund.payout_recorded_by_id is not None:
            raise RefundRefused(_("This payout is recorded already: another operator confirms it."))
        refund.payout_reference = reference[:128]
        refund.payout_recorded_by, refund.payout_recorded_at = operator, timezone.now()
        refund.save(update_fields=["payout_reference", "payout_recorded_by", "payout_recorded_at"])
    return refund


def refund_payout_confirm(*, refund_id: int, operator) -> Refund:
    """A second operator confirms the payout: the refund is done, and the shopper told."""
    with transaction.atomic():
        refund = _manual(refund_id)
        if refund.payout_recorded_by_id is None:
            raise RefundRefused(_("Record the payout first: how the money was paid back."))
        if refund.payout_recorded_by_id == operator.pk:
            raise RefundRefused(_("Another operator confirms this payout: not the one who recorded it."))
        now = timezone.now()
        refund.payout_confirmed_by, refund.payout_confirmed_at = operator, now
        refund.status, refund.completed_at = Refund.Status.SUCCEEDED, now
        refund.save(update_fields=["payout_confirmed_by", "payout_confirmed_at", "status", "completed_at"])
        refund_outcome_queue(refund)
    return refund
