"""
Sellers move their own lines on (accepted, packed, shipped): the service.

The rules are ``line_statuses``; this locks the lines (in primary-key order, so
two sellers moving lines of one order never deadlock), applies them, and keeps
each move in the audit trail under the line's seller and channel. Which lines
are the user's is the caller's filter (the back office's scope), applied again
here under the lock.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from marketplace.backoffice import audit
from marketplace.backoffice.models import AuditEntry

from . import line_statuses
from .models import Line


@dataclass
class LinesMoved:
    moved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (line, LineMoveRefused)


def lines_move(*, order_ids, own_lines: Q, status: str, actor) -> LinesMoved:
    """Move the lines matching ``own_lines`` of the orders ``order_ids`` to ``status``.

    Lines that cannot make the move (already further on, the order cancelled)
    are left as they are and reported; the others move, all at once.
    """
    result = LinesMoved()
    with transaction.atomic():
        lines = list(
            Line.objects.filter(own_lines, order_id__in=list(order_ids))
            .select_related("order", "partner")
            .order_by("pk")
            .select_for_update(of=("self",))
        )
        for line in lines:
            old = line.status
            try:
                line_statuses.check_move(old, status, line.order.status)
            except line_statuses.LineMoveRefused as refused:
                result.refused.append((line, refused))
                continue
            line.status = status
            line.save(update_fields=["status"])
            audit.record(
                line, AuditEntry.CHANGED, {"status": [old, status]}, actor=actor,
                scope={
                    "brand_id": line.partner.brand_id if line.partner and line.partner.is_official_store else None,
                    "seller_id": line.partner_id,
                    "channel_id": line.order.channel_id,
                },
            )
            result.moved.append(line)
    return result
