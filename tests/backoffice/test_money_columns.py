"""Every admin column with an amount formats it one way: the admin's language, the channel's country."""

from decimal import Decimal

import pytest
from django.utils.html import escape

from marketplace.channels.money import format_money

pytestmark = pytest.mark.django_db


def columns(world):
    """(change list, amount, currency, channel) for each admin that shows money."""
    world.pod_ng.max_order_total = Decimal("200000")
    world.pod_ng.save()
    return [
        ("/admin/partner/stockrecord/", world.cairo_eg.price, "EGP", world.eg),
        ("/admin/order/order/", world.order_shared.total_incl_tax, "NGN", world.ng),
        ("/admin/delivery/deliveryoption/", world.home_ng.price, "NGN", world.ng),
        ("/admin/payments/paymentoption/", world.pod_ng.max_order_total, "NGN", world.ng),
        ("/admin/payments/payment/", world.payment_eg.amount, "EGP", world.eg),
    ]


@pytest.mark.parametrize("language", ["fr", "ar", "en"])
def test_money_columns_speak_the_admins_language_in_the_channels_country(world, as_role, language):
    client = as_role("superuser")
    client.cookies["django_language"] = language

    for url, amount, currency, channel in columns(world):
        expected = format_money(amount, currency, language, channel.country.code)
        content = client.get(url).content.decode()
        assert escape(expected) in content or expected in content, (url, expected)


def test_admin_modules_format_money_through_the_one_helper():
    """No admin module calls the money formatter itself (``backoffice.display.money`` does)."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parents[2] / "marketplace"
    offenders = [
        str(path.relative_to(root)) for path in root.glob("*/admin.py")
        if "format_money" in path.read_text() or "format_cap(" in path.read_text()
    ]
    assert offenders == []
