"""
The three back-office roles, each granted by membership of one kind of object.

A member of a brand is its brand manager, a member of a seller (an Oscar
partner) works for that seller, a member of a channel is that country's
operator, or, with the membership's kind "agent", one of its customer-service
agents (who answer the country's help requests and nothing else). A member of
an authorised service centre works there: its repair bookings. A user may hold several memberships; what they see is the union.
Superusers need none: they are the marketplace admins.
"""

from django.utils.translation import gettext_lazy as _

BRAND = "brand"
SELLER = "seller"
CHANNEL = "channel"
AGENT = "agent"
SERVICE_CENTRE = "service_centre"

ROLES = (BRAND, SELLER, CHANNEL, AGENT, SERVICE_CENTRE)

LABELS = {
    BRAND: _("Brand manager"),
    SELLER: _("Seller"),
    CHANNEL: _("Country operator"),
    AGENT: _("Customer-service agent"),
    SERVICE_CENTRE: _("Service centre"),
}
