"""The Official Store badge, the seller on product pages, choosing an offer, featured products."""

import pytest

from marketplace.basket.models import Basket
from marketplace.stores.models import FeaturedProduct
from tests import factories

pytestmark = pytest.mark.django_db


def test_product_cards_carry_the_badge_of_an_official_listing(client, shop):
    content = client.get("/ng/catalogue/").content.decode()

    card = content[content.index(f'data-product="{shop["phone"].pk}"'):]
    assert "Official Store" in card[: card.index("</article>")]


def test_a_card_without_an_official_listing_has_no_badge(client, shop, third_party_seller):
    cable = factories.product("USB-C Cable")
    factories.listing(cable, third_party_seller, shop["ng"], "2000")

    content = client.get("/ng/catalogue/").content.decode()

    card = content[content.index(f'data-product="{cable.pk}"'):]
    assert "Official Store" not in card[: card.index("</article>")]


def test_the_product_page_names_the_seller_and_lists_offers_official_first(client, shop):
    response = client.get(f"/ng/catalogue/{shop['phone'].slug}_{shop['phone'].pk}/")

    content = response.content.decode()
    assert "Sold by" in content and f"/ng/store/{shop['mi'].slug}/" in content
    offers = [o["listing"] for o in response.context["offers"]]
    assert offers == [shop["mi_listings"]["ng"], shop["lagos_listing"]]
    # Each offer can be chosen.
    assert content.count('name="listing"') == 2
    assert "Buy from Lagos Gadgets Hub" in content


def add_offer(client, product, listing, quantity=1, path="/ng/"):
    return client.post(
        f"{path}offers/{product.pk}/add/", {"listing": listing if listing is not None else "",
                                           "quantity": quantity},
    )


def test_the_shopper_chooses_another_sellers_offer(client, shop):
    response = add_offer(client, shop["phone"], shop["lagos_listing"].pk)

    assert response.status_code == 302
    basket = Basket.objects.get(channel=shop["ng"])
    line = basket.lines.get()
    assert line.stockrecord == shop["lagos_listing"]
    assert line.price_excl_tax == shop["lagos_listing"].price


def test_choosing_both_offers_gives_two_lines(client, shop):
    add_offer(client, shop["phone"], shop["lagos_listing"].pk)
    add_offer(client, shop["phone"], shop["mi_listings"]["ng"].pk)

    basket = Basket.objects.get(channel=shop["ng"])
    assert {line.stockrecord for line in basket.lines.all()} == {
        shop["lagos_listing"], shop["mi_listings"]["ng"],
    }


def test_the_basket_prices_a_chosen_offer_at_that_sellers_price(client, shop):
    add_offer(client, shop["phone"], shop["lagos_listing"].pk)

    basket_page = client.get("/ng/basket/")

    assert "₦127,925.00" in basket_page.content.decode()  # Lagos: 119,000 + VAT


@pytest.mark.parametrize(
    "listing",
    [
        "eg",  # the same product's listing in another channel
        "charger",  # a listing of another product
        "garbage",
        "missing",
        "not-live",
    ],
)
def test_an_offer_that_is_not_this_products_here_is_a_404(client, shop, listing):
    ids = {
        "eg": shop["mi_listings"]["eg"].pk,
        "charger": shop["charger"].stockrecords.get().pk,
        "garbage": "1 OR 1=1",
        "missing": None,
    }
    if listing == "not-live":
        shop["lagos_listing"].is_live = False
        shop["lagos_listing"].save()
        ids["not-live"] = shop["lagos_listing"].pk

    response = add_offer(client, shop["phone"], ids[listing])

    assert response.status_code == 404
    assert not Basket.objects.filter(lines__isnull=False).exists()


def test_the_home_page_shows_the_channels_featured_products(client, shop):
    FeaturedProduct.objects.create(channel=shop["ng"], product=shop["charger"], position=1)
    FeaturedProduct.objects.create(channel=shop["ng"], product=shop["phone"], position=2)
    # Featured in NG but sold in EG only: left out.
    FeaturedProduct.objects.create(channel=shop["ng"], product=shop["tv"], position=0)

    response = client.get("/ng/")

    assert [p.pk for p in response.context["featured"]] == [shop["charger"].pk, shop["phone"].pk]
    assert "Featured" in response.content.decode()
    assert not list(client.get("/eg/").context["featured"])
