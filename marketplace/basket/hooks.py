"""
Checks other packages add to putting an item in the basket, without this package
importing them (as ``order.hooks`` does for placing an order).

A check is ``check(request, *, basket, product, stockrecord) -> Refusal | None``:
``stockrecord`` is the listing the basket's strategy chose for the item. The add
view runs the checks before it adds anything; the first refusal is answered with
its page and status (a 409 for a conflict with what the visit already holds), and
nothing is added. A check should cost no query for a shopper it has nothing to say to.
"""

from dataclasses import dataclass, field

ADD_CHECKS: list = []


@dataclass(frozen=True)
class Refusal:
    template: str
    context: dict = field(default_factory=dict)
    status: int = 409


def register_add_check(check) -> None:
    if check not in ADD_CHECKS:
        ADD_CHECKS.append(check)


def run_add_checks(request, *, basket, product, stockrecord) -> Refusal | None:
    for check in ADD_CHECKS:
        refusal = check(request, basket=basket, product=product, stockrecord=stockrecord)
        if refusal is not None:
            return refusal
    return None
