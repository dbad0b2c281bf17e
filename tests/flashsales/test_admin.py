"""The back office: validation of items, approval and stop by operators, the live view, the audit."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from marketplace.backoffice.models import AuditEntry
from marketplace.flashsales import services
from marketplace.flashsales.models import Sale, SaleItem
from tests.backoffice.conftest import as_role, world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def validate(sale, listing, price="100.00", units=1, per_shopper=1, per_order=None):
    services.validate_item(sale=sale, listing=listing, sale_price=Decimal(price), units=units,
                           per_shopper=per_shopper, per_order=per_order)


def test_only_the_sellers_own_listings_lower_priced_within_stock(world):  # noqa: F811
    sale, mi_ng, lagos_ng = world.objects["sale_mi_ng"], world.objects["mi_ng"], world.objects["lagos_ng"]
    free = mi_ng.num_in_stock - (mi_ng.num_allocated or 0)
    validate(sale, mi_ng, price="100000.00", units=free)

    with pytest.raises(ValidationError) as foreign:
        validate(sale, lagos_ng, price="100000.00")
    assert "listing" in foreign.value.message_dict
    with pytest.raises(ValidationError) as dearer:
        validate(sale, mi_ng, price="150000.00")
    assert "sale_price" in dearer.value.message_dict
    with pytest.raises(ValidationError) as precise:
        validate(sale, mi_ng, price="100000.001")
    assert "sale_price" in precise.value.message_dict
    with pytest.raises(ValidationError) as many:
        validate(sale, mi_ng, price="100000.00", units=free + 1)
    assert "units" in many.value.message_dict
    with pytest.raises(ValidationError) as elsewhere:
        validate(sale, world.objects["mi_eg"], price="3000.00")
    assert "listing" in elsewhere.value.message_dict


def test_a_listing_excluded_by_an_exclusive_rule_cannot_go_on_sale(world):  # noqa: F811
    """Redmi Go is Mi's exclusive in NG (world's rule_ng): Lagos's offer of it is excluded."""
    from tests import factories

    lagos = world.objects["lagos"]
    redmi_go = world.objects["rule_ng"].product
    listing = factories.listing(redmi_go, lagos, world.ng, "50000.00")
    sale = world.objects["sale_lagos_ng"]

    with pytest.raises(ValidationError) as refused:
        validate(sale, listing, price="40000.00")
    assert "exclusive" in " ".join(refused.value.message_dict["listing"])


def test_an_operator_approves_and_stops_a_sale_of_their_country_audited(world, as_role):  # noqa: F811
    sale = world.objects["sale_lagos_ng"]
    SaleItem.objects.create(sale=sale, listing=world.objects["lagos_ng"], sale_price=Decimal("100000.00"), units=2)
    operator = as_role("channel")
    url = "/admin/flashsales/sale/"

    response = operator.post(url, {"action": "approve", "_selected_action": [sale.pk]})
    assert response.status_code == 302
    sale.refresh_from_db()
    assert sale.status == Sale.APPROVED
    assert AuditEntry.objects.filter(object_id=str(sale.pk), content_type__model="sale").exists()

    operator.post(url, {"action": "stop", "_selected_action": [sale.pk]})
    sale.refresh_from_db()
    assert sale.status == Sale.STOPPED and sale.stopped_at is not None


def test_a_brand_manager_cannot_approve_their_own_sale(world, as_role):  # noqa: F811
    sale = world.objects["sale_mi_ng"]
    SaleItem.objects.create(sale=sale, listing=world.objects["mi_ng"], sale_price=Decimal("100000.00"), units=2)
    manager = as_role("brand")

    manager.post("/admin/flashsales/sale/", {"action": "approve", "_selected_action": [sale.pk]})

    sale.refresh_from_db()
    assert sale.status == Sale.DRAFT


def test_an_operator_of_another_country_cannot_approve(world, client):  # noqa: F811
    sale = world.objects["sale_mi_ng"]
    SaleItem.objects.create(sale=sale, listing=world.objects["mi_ng"], sale_price=Decimal("100000.00"), units=2)
    client.force_login(world.users["eg_operator"])

    client.post("/admin/flashsales/sale/", {"action": "approve", "_selected_action": [sale.pk]})

    sale.refresh_from_db()
    assert sale.status == Sale.DRAFT


def test_the_live_view_and_its_figures_are_scoped(world, as_role):  # noqa: F811
    sale = world.objects["sale_lagos_ng"]
    SaleItem.objects.create(sale=sale, listing=world.objects["lagos_ng"], sale_price=Decimal("100000.00"), units=2)

    seller = as_role("seller")
    assert seller.get(f"/admin/flashsales/sale/{sale.pk}/live/").status_code == 200
    rows = seller.get(f"/admin/flashsales/sale/{sale.pk}/live.json").json()["rows"]
    assert rows[0]["units"] == 2 and rows[0]["left"] == 2 and rows[0]["claimed"] == 0

    foreign = world.objects["sale_tecno_eg"]
    assert seller.get(f"/admin/flashsales/sale/{foreign.pk}/live/").status_code == 404
    assert seller.get(f"/admin/flashsales/sale/{foreign.pk}/live.json").status_code == 404


def test_accepted_orders_are_seen_by_their_countrys_operators_only_and_never_edited(world, as_role):  # noqa: F811
    from marketplace.flashsales.models import AcceptedOrder

    ours, theirs = world.objects["accepted_ng"], world.objects["accepted_eg"]
    AcceptedOrder.objects.filter(pk=ours.pk).update(problem="no longer offered")  # what the worker kept

    operator = as_role("channel")
    listing = operator.get("/admin/flashsales/acceptedorder/")
    html = listing.content.decode()
    assert listing.status_code == 200 and ours.number in html and theirs.number not in html
    assert "no longer offered" in html
    from marketplace.backoffice.dates import local_datetime

    assert local_datetime(ours.accepted_at, ours.channel) in html  # in the country's own time
    assert operator.get(f"/admin/flashsales/acceptedorder/{ours.pk}/change/").status_code == 200
    assert operator.get(f"/admin/flashsales/acceptedorder/{theirs.pk}/change/").status_code in (302, 404)
    assert operator.post(f"/admin/flashsales/acceptedorder/{ours.pk}/delete/").status_code == 403
    assert operator.get("/admin/flashsales/acceptedorder/add/").status_code == 403
    assert as_role("brand").get("/admin/flashsales/acceptedorder/").status_code == 403
    assert AcceptedOrder.objects.count() == 2
