"""The storefront: other sellers' offers vanish while the rule is in force, the badge shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from marketplace.basket.models import Basket
from marketplace.partner.selectors import products_for_channel
from tests import factories

from .conftest import make_rule

pytestmark = pytest.mark.django_db


def product_url(product):
    return f"/ng/catalogue/{product.slug}_{product.pk}/"


def test_before_the_rule_both_offers_show(client, family):
    response = client.get(product_url(family.parent))

    listings = [offer["listing"] for offer in response.context["offers"]]
    assert family.other_listing in listings
    assert "Exclusive on" not in response.content.decode()


def test_the_product_page_offers_only_the_exclusive_store_and_shows_the_badge(client, family, exclusive):
    response = client.get(product_url(family.variant))

    assert [offer["listing"] for offer in response.context["offers"]] == [family.official_listing]
    content = response.content.decode()
    assert "Exclusive on Xiaomi Official Store" in content
    assert "Lagos Gadgets Hub" not in content


def test_category_search_and_cards_carry_the_badge(client, family, exclusive, phones):
    for url in ("/ng/catalogue/", f"/ng/catalogue/category/phones_{phones.pk}/", "/ng/search/?q=redmi"):
        content = client.get(url).content.decode()
        card = content[content.index(f'data-product="{family.parent.pk}"'):]
        assert "Exclusive on Xiaomi Official Store" in card[: card.index("</article>")], url


def test_the_badge_is_translated(client, family, exclusive, channel_xof, official_store):
    factories.listing(family.variant, official_store, channel_xof, "30000")
    exclusive.channels.add(channel_xof)

    content = client.get(f"/ci/catalogue/{family.parent.slug}_{family.parent.pk}/").content.decode()

    assert "Exclusivité Xiaomi Official Store" in content


def test_a_product_only_another_seller_offers_vanishes_everywhere(client, family, exclusive, third_party_seller, channel_ngn):
    family.official_listing.delete()

    assert not products_for_channel(channel_ngn).filter(pk=family.parent.pk).exists()
    assert client.get(product_url(family.parent)).status_code == 404
    store_page = client.get(f"/ng/store/{third_party_seller.slug}/").content.decode()
    assert f'data-product="{family.parent.pk}"' not in store_page


def test_the_other_sellers_offer_cannot_be_chosen(client, family, exclusive):
    response = client.post(
        f"/ng/offers/{family.variant.pk}/add/", {"listing": family.other_listing.pk, "quantity": 1}
    )

    assert response.status_code == 404
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_a_channel_the_rule_does_not_cover_keeps_every_offer(client, family, official_store, channel_kes, channel_ngn):
    make_rule(family.parent, official_store, [channel_kes])

    response = client.get(product_url(family.parent))

    assert family.other_listing in [offer["listing"] for offer in response.context["offers"]]


def test_the_window_is_enforced_at_request_time(client, family, official_store, channel_ngn):
    make_rule(family.parent, official_store, [channel_ngn], starts=timezone.now() - timedelta(days=2),
              ends=timezone.now() - timedelta(seconds=1))

    response = client.get(product_url(family.parent))

    assert family.other_listing in [offer["listing"] for offer in response.context["offers"]]


def test_the_official_store_page_has_an_exclusives_section(client, family, exclusive, official_store):
    content = client.get(f"/ng/store/{official_store.slug}/").content.decode()

    section = content[content.index('id="exclusives"'):]
    assert f'data-product="{family.parent.pk}"' in section[: section.index("</section>")]


def test_a_basket_line_from_the_excluded_seller_is_blocked_with_the_reason(client, family, channel_ngn, official_store):
    client.post(f"/ng/offers/{family.variant.pk}/add/", {"listing": family.other_listing.pk, "quantity": 1})
    assert Basket.objects.get(channel=channel_ngn).lines.count() == 1
    make_rule(family.parent, official_store, [channel_ngn])

    content = client.get("/ng/basket/").content.decode()

    assert "is sold only by Xiaomi Official Store in Nigeria, with no end date." in content
    # Oscar's checkout refuses a basket with an unavailable line.
    response = client.get("/ng/checkout/", follow=False)
    assert response.status_code == 302 and "/basket/" in response["Location"]
