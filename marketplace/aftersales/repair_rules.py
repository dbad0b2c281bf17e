"""
Repair bookings at service centres: the statuses and the moves between them, as pure rules.

A booking is requested by the shopper, accepted (or refused) by the centre, then
follows the device: received, diagnosing, waiting for parts, ready, collected.
Whether the device is in cover when booked decides who pays: the warranty, or
the shopper, who must first accept the centre's quote; until then the repair
does not go past diagnosing.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

REQUESTED = "requested"
ACCEPTED = "accepted"
REFUSED = "refused"
RECEIVED = "received"
DIAGNOSING = "diagnosing"
WAITING_FOR_PARTS = "waiting_for_parts"
READY = "ready"
COLLECTED = "collected"

LABELS = {
    REQUESTED: _("Requested"),
    ACCEPTED: _("Accepted"),
    REFUSED: _("Refused"),
    RECEIVED: _("Device received"),
    DIAGNOSING: _("Diagnosing"),
    WAITING_FOR_PARTS: _("Waiting for parts"),
    READY: _("Ready to collect"),
    COLLECTED: _("Collected"),
}

PIPELINE = {
    REQUESTED: (ACCEPTED, REFUSED),
    ACCEPTED: (RECEIVED,),
    RECEIVED: (DIAGNOSING,),
    DIAGNOSING: (WAITING_FOR_PARTS, READY),
    WAITING_FOR_PARTS: (READY,),
    READY: (COLLECTED,),
    REFUSED: (),
    COLLECTED: (),
}

# Past diagnosing, the repair is being done: out of cover, only once the quote is accepted.
NEEDS_ACCEPTED_QUOTE = frozenset({WAITING_FOR_PARTS, READY})

WARRANTY, SHOPPER = "warranty", "shopper"


class MoveRefused(ValueError):
    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class Move:
    old: str
    new: str
    notify: bool  # every step the shopper sees is told to them


def payer(*, in_cover: bool) -> str:
    """Who pays the repair: the warranty while the device is covered, else the shopper."""
    return WARRANTY if in_cover else SHOPPER


def move(old: str, new: str, *, in_cover: bool, quote_accepted: bool) -> Move:
    """The move from ``old`` to ``new``, or ``MoveRefused`` saying why not."""
    if new not in PIPELINE.get(old, ()):
        raise MoveRefused(_("A repair cannot go from “%(old)s” to “%(new)s”.")
                          % {"old": LABELS.get(old, old), "new": LABELS.get(new, new)})
    if new in NEEDS_ACCEPTED_QUOTE and not in_cover and not quote_accepted:
        raise MoveRefused(_("The device is out of cover: the shopper must accept the quote first."))
    return Move(old=old, new=new, notify=True)


def may_quote(*, status: str, in_cover: bool) -> bool:
    """A centre quotes a repair out of cover, once it has the device and before the repair."""
    return not in_cover and status in (RECEIVED, DIAGNOSING)
