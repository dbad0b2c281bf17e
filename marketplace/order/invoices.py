"""
An order's invoice: what was charged, line by line, with its tax. A selector: reads only.

Every line (a product, and the warranty plan bought with it, named for its
product) shows its unit price before tax, the tax on it and the total with
tax, as stored on the order when it was placed: the invoice never re-prices.
Amounts stay Decimals; the template formats them in the channel's currency
and the shopper's language (Babel, through the ``currency`` filter).
"""

from decimal import Decimal

from django.urls import reverse


def invoice_lines(order) -> list[dict]:
    lines = list(order.lines.select_related("parent_line").order_by("pk"))
    rows = []
    for line in lines:
        rows.append({
            "line": line,
            "is_plan": line.parent_line_id is not None,
            "for_title": line.parent_line.title if line.parent_line_id is not None else "",
            "unit_excl_tax": line.unit_price_excl_tax,
            "excl_tax": line.line_price_excl_tax,
            "tax": line.line_price_incl_tax - line.line_price_excl_tax,
            "incl_tax": line.line_price_incl_tax,
        })
    return rows


def invoice(order) -> dict:
    rows = invoice_lines(order)
    return {
        "order": order,
        "rows": rows,
        "sellers": sorted({row["line"].partner_name for row in rows if row["line"].partner_name}),
        # A rate is stored as a fraction (0.0750): shown as a percentage (7.5).
        "taxes": [{"name": tax.name, "percent": (tax.rate * 100).normalize(), "amount": tax.amount}
                  for tax in order.taxes.all()],
        "lines_tax": sum((row["tax"] for row in rows), Decimal(0)),
        "shipping_tax": order.shipping_incl_tax - order.shipping_excl_tax,
        "total_tax": order.total_incl_tax - order.total_excl_tax,
    }


def invoice_path(order) -> str:
    """The invoice's address: its key is the order's verification hash (e-mail links work for guests)."""
    return reverse("order-invoice", kwargs={"number": order.number, "key": order.verification_hash()})
