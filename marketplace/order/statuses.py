"""Order statuses and the moves allowed between them."""

from django.utils.translation import gettext_lazy as _

PENDING = "Pending"  # pay on delivery: to be prepared and delivered
AWAITING_PAYMENT = "Awaiting payment"  # paid online; the provider has not confirmed yet
PAID = "Paid"
PROCESSING = "Processing"
SHIPPED = "Shipped"
DELIVERED = "Delivered"
CANCELLED = "Cancelled"

LABELS = {
    PENDING: _("Pending"),
    AWAITING_PAYMENT: _("Awaiting payment"),
    PAID: _("Paid"),
    PROCESSING: _("Processing"),
    SHIPPED: _("Shipped"),
    DELIVERED: _("Delivered"),
    CANCELLED: _("Cancelled"),
}

# The allowed moves are OSCAR_ORDER_STATUS_PIPELINE in settings (Oscar enforces them).

# Cancelling from these gives the allocated stock back; later, it has left the warehouse.
RELEASES_STOCK_ON_CANCEL = {PENDING, AWAITING_PAYMENT, PAID, PROCESSING}
