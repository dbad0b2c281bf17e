"""
Where the shopper (and the provider) is sent: our payment pages' URLs.

Reversed in the current channel request, so they carry its ``/<cc>/[<lang>/]``
prefix.
"""

from django.urls import NoReverseMatch, reverse


def order_confirmation_url(order) -> str:
    """The order's confirmation page, linked once its payment is settled.

    The one place to change when the checkout's confirmation page moves.
    """
    try:
        return reverse("checkout:thank-you")
    except NoReverseMatch:
        return reverse("home")


def payment_status_url(payment) -> str:
    """Our page showing the payment's state: the wait page, and the provider's return URL."""
    return reverse("payments:status", kwargs={"reference": payment.reference})


def payment_status_json_url(payment) -> str:
    return reverse("payments:status-json", kwargs={"reference": payment.reference})
