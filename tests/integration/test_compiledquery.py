"""Querysets compiled once and run with other values; rows inserted with a statement made once."""

import uuid
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from marketplace.basket.models import Basket
from marketplace.compiledquery import INT_SENTINELS, UUID_SENTINEL, Compiled, CompiledCache, insert
from marketplace.flashsales.models import AcceptedOrder, Reservation
from marketplace.flashsales.selectors import reservation_by_token
from tests import factories
from tests.flashsales.conftest import make_item, make_sale

pytestmark = pytest.mark.django_db

OWNER, CHANNEL = INT_SENTINELS[:2]


def test_a_compiled_queryset_gives_what_the_queryset_gives_for_each_value(channel_ngn, channel_kes):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    mine = [Basket.objects.create(owner=user, channel=channel_ngn) for _ in range(2)]
    Basket.objects.create(owner=user, channel=channel_kes)
    Basket.objects.create(owner=user, channel=channel_ngn, status=Basket.SUBMITTED)
    compiled = Compiled(Basket.open.filter(owner_id=OWNER, channel_id=CHANNEL).order_by("pk"), OWNER, CHANNEL)

    found = compiled.run(user.pk, channel_ngn.pk)

    assert found == mine and all(basket.owner_id == user.pk for basket in found)
    assert compiled.run(user.pk + 1000, channel_ngn.pk) == []
    assert compiled.run(user.pk, channel_kes.pk) == list(Basket.open.filter(owner=user, channel=channel_kes))


def test_a_sentinel_must_be_in_the_sql_exactly_once():
    with pytest.raises(ValueError, match="exactly once"):
        Compiled(Basket.objects.filter(owner_id=OWNER), OWNER, CHANNEL)  # CHANNEL is not in it
    with pytest.raises(ValueError, match="exactly once"):
        Compiled(Basket.objects.filter(owner_id=OWNER, pk=OWNER), OWNER)  # twice


def test_related_rows_come_with_the_row(official_store, channel_ngn):
    listing = factories.listing(factories.product("Redmi Note 13"), official_store, channel_ngn, "60000", stock=100)
    item = make_item(make_sale(seller=official_store, channels=[channel_ngn]), listing)
    reservation = Reservation.objects.create(item=item, shopper="u:1", quantity=1,
                                             expires_at=item.sale.ends_at)

    with CaptureQueriesContext(connection) as queries:
        found = reservation_by_token(reservation.token)
        assert found == reservation and found.item == item and found.item.sale.name == "Mi Fan Festival"
    assert len(queries) == 1  # the item and its sale joined
    assert reservation_by_token(uuid.uuid4()) is None
    assert reservation_by_token(UUID_SENTINEL) is None


def test_compiled_queries_are_made_once_per_key():
    made = []
    cache = CompiledCache()
    for _ in range(3):
        assert cache.get(lambda: made.append(1) or "compiled", "k") == "compiled"
    assert made == [1]


def test_insert_writes_the_row_as_save_would(channel_ngn):
    user = get_user_model().objects.create_user("ada", "ada@example.com", "pw")
    basket = Basket.objects.create(owner=user, channel=channel_ngn)
    accepted = AcceptedOrder(number="NG-TESTNUMB1", channel=channel_ngn, basket=basket, user=user,
                             checkout_key="k-1", address={"line1": "3 Awolowo Road", "line4": "Lagos"},
                             method_code="home", option_code="7", total=Decimal("54825.00"), language="fr")

    insert(accepted)

    assert accepted.pk is not None and not accepted._state.adding
    row = AcceptedOrder.objects.get(pk=accepted.pk)
    assert (row.number, row.user, row.basket, row.total, row.language) == (
        "NG-TESTNUMB1", user, basket, Decimal("54825.00"), "fr")
    assert row.address == {"line1": "3 Awolowo Road", "line4": "Lagos"} and row.order is None
    assert row.accepted_at == accepted.accepted_at
    again = AcceptedOrder(number="NG-TESTNUMB1", channel=channel_ngn, basket=Basket.objects.create(channel=channel_ngn),
                          checkout_key="k-2", address={}, method_code="home", option_code="7",
                          total=Decimal("1.00"), language="en")
    with pytest.raises(IntegrityError), transaction.atomic():  # the unique number, as the database says it
        insert(again)
    assert again.pk is None
