"""
A shopper reads a product's title in their language from the basket to the
confirmation e-mail: Oscar's pages print ``product.get_title`` (the English
base title), ours ask for the translation (``|product_title``, the basket
line's ``description``, the order line's stored title).
"""

from decimal import Decimal

import pytest

from marketplace.localisation.models import ProductTranslation
from marketplace.order.models import Order
from marketplace.partner.models import StockRecord
from tests import factories
from tests.checkout.builders import PHONES, basket_with, home_delivery, pay_on_delivery, place
from tests.checkout.test_checkout_flow import (
    choose_payment,
    fill_address,
    preview_fields,
    start_guest_checkout,
)

pytestmark = pytest.mark.django_db

ENGLISH = "Redmi Note 13"
FRENCH = "Téléphone Éclair"


@pytest.fixture
def phone_ci(official_store, channel_xof):
    product = factories.product(ENGLISH)
    ProductTranslation.objects.create(parent=product, language="fr", title=FRENCH)
    listing = factories.listing(product, official_store, channel_xof, "100000", stock=5)
    home_delivery(channel_xof, "0")
    pay_on_delivery(channel_xof)
    return listing


def shows_french_title_only(content):
    return FRENCH in content and ENGLISH not in content


def to_preview(client, listing):
    start_guest_checkout(client, "ci", listing)
    assert fill_address(
        client, "ci", country="CI", line4="Abidjan", phone_number=PHONES["CI"]
    ).status_code == 302
    client.get("/ci/checkout/shipping-method/")
    assert choose_payment(client, "ci").status_code == 302


def test_the_basket_page_and_its_message_show_the_french_title(client, phone_ci):
    added = client.post(f"/ci/basket/add/{phone_ci.product.pk}/", {"quantity": 1}, follow=True)

    content = added.content.decode()
    assert "a été ajouté à votre panier" in content  # Oscar's message, in French
    basket = client.get("/ci/basket/").content.decode()
    assert shows_french_title_only(basket)
    assert f'alt="{FRENCH}"' in basket


def test_the_mini_basket_shows_the_french_title(client, phone_ci):
    client.post(f"/ci/basket/add/{phone_ci.product.pk}/", {"quantity": 1})

    # A page that lists no product: what it shows of the phone is the mini basket.
    content = client.get("/ci/stores/").content.decode()

    mini_basket = content[content.index('class="basket-mini'):]
    assert shows_french_title_only(mini_basket)


def test_a_price_change_warning_names_the_product_in_french(client, phone_ci):
    client.post(f"/ci/basket/add/{phone_ci.product.pk}/", {"quantity": 1})
    StockRecord.objects.filter(pk=phone_ci.pk).update(price=Decimal("120000"))

    content = client.get("/ci/basket/").content.decode()

    assert shows_french_title_only(content)
    assert "Téléphone Éclair" in content.split('class="alert alert-warning"', 1)[1][:300]


def test_the_preview_the_thank_you_page_and_the_order_line_show_the_french_title(
    client, phone_ci, mailoutbox, django_capture_on_commit_callbacks
):
    to_preview(client, phone_ci)
    preview = client.get("/ci/checkout/preview/").content.decode()
    assert shows_french_title_only(preview)

    with django_capture_on_commit_callbacks(execute=True):
        placed = client.post("/ci/checkout/preview/", preview_fields(client, "ci"))
    assert placed["Location"] == "/ci/checkout/thank-you/"

    assert shows_french_title_only(client.get("/ci/checkout/thank-you/").content.decode())
    line = Order.objects.get().lines.get()
    assert line.title == FRENCH
    (mail,) = mailoutbox
    assert shows_french_title_only(mail.body)
    (html, _), = mail.alternatives
    assert shows_french_title_only(html)


def test_an_order_placed_without_a_request_keeps_the_channels_default_language_title(
    phone_ci, channel_xof
):
    order = place(channel_xof, basket_with(channel_xof, (phone_ci.product, 1))).order

    assert order.lines.get().title == FRENCH


def test_an_english_shopper_reads_the_english_title(client, phone_ci, channel_ngn, official_store):
    listing = factories.listing(phone_ci.product, official_store, channel_ngn, "1000")
    client.post(f"/ng/basket/add/{listing.product.pk}/", {"quantity": 1})

    content = client.get("/ng/basket/").content.decode()

    assert ENGLISH in content and FRENCH not in content


def test_checkout_names_a_product_that_sold_out_in_french(client, phone_ci):
    start_guest_checkout(client, "ci", phone_ci)
    StockRecord.objects.filter(pk=phone_ci.pk).update(num_in_stock=0)

    response = client.get("/ci/checkout/shipping-address/", follow=True)

    content = response.content.decode()
    assert response.redirect_chain[-1][0] == "/ci/basket/"
    assert f"'{FRENCH}' n'est plus disponible à l'achat" in content.replace("&#x27;", "'")


def test_wish_lists_and_stock_alerts_show_the_french_title(client, phone_ci):
    from django.contrib.auth import get_user_model
    from oscar.apps.customer.models import ProductAlert
    from oscar.apps.wishlists.models import WishList

    user = get_user_model().objects.create_user("awa", "awa@example.com", "pw-long-enough-1")
    wishlist = WishList.objects.create(owner=user, name="Cadeaux")
    wishlist.add(phone_ci.product)
    ProductAlert.objects.create(user=user, product=phone_ci.product, status=ProductAlert.ACTIVE)
    client.force_login(user)

    wishlist_page = client.get(f"/ci/accounts/wishlists/{wishlist.key}/").content.decode()
    assert shows_french_title_only(wishlist_page)
    alerts_page = client.get("/ci/accounts/alerts/").content.decode()
    assert shows_french_title_only(alerts_page)
