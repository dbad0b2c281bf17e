"""
What a seller or a brand manager sees of an order, which may hold other sellers' lines.

Country operators (of the order's channel) and superusers see an order whole.
A seller or a brand manager sees, on the change list, in the CSV export and on
the order's page:

- the order's number, channel, status and date placed (in the channel's time
  zone), its status history, and how it is paid (the method and the payment's
  state, never its amount);
- their own lines (product, seller, SKU, quantity, price including tax, status),
  and their part of the order: how many units and what amount their lines make;
- only when the order is theirs to ship, that is when every line of it is
  theirs: what shipping it needs, which is the delivery option or pickup station, the recipient's
  name and address, their phone number and the delivery instructions.

Never the order's total, its delivery charge or tax, the customer's e-mail or
account, or the other sellers' lines; nor the address of an order they share:
the marketplace gathers a shared order's lines and ships it itself. They search
by order number only, and filter by channel, status and date only: searching or
filtering by a field they do not see would reveal it.

They move their own lines on (accepted, packed, shipped) with the change list's
actions (``order.line_moves``); the order's status stays the operators'.
"""

from django.db.models import Exists, OuterRef, Q, Subquery, Sum

from .models import Line


def orders_with_own_part(orders, own_lines: Q):
    """``orders`` annotated with the part ``own_lines`` (a filter on lines) makes of each.

    ``own_total`` and ``own_units``: the amount (including tax) and the units
    of those lines; ``ships_alone``: whether the order holds no other line.
    """
    own = Line.objects.filter(own_lines, order=OuterRef("pk")).order_by().values("order")
    return orders.annotate(
        own_total=Subquery(own.annotate(amount=Sum("line_price_incl_tax")).values("amount")),
        own_units=Subquery(own.annotate(units=Sum("quantity")).values("units")),
        ships_alone=~Exists(Line.objects.filter(order=OuterRef("pk")).exclude(own_lines)),
    )
