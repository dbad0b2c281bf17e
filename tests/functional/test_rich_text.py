"""Rich text staff enter reaches shoppers sanitised: no script, handler, javascript: link or style."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from marketplace.delivery.models import DeliveryOption, PickupStation
from marketplace.localisation import rich_text
from marketplace.localisation.models import ProductTranslation
from marketplace.memberships.services import membership_grant
from marketplace.shipping.methods import DeliveryMethod
from marketplace.stores.models import ProductBrand
from tests import factories
from tests.backoffice.forms import admin_form_data

pytestmark = pytest.mark.django_db

PAYLOADS = {
    "script": '<script>alert("xss-script")</script>',
    "img onerror": '<img src="x" onerror="alert(\'xss-img\')">',
    "javascript: URL": '<a href="javascript:alert(\'xss-link\')">free phone</a>',
    "svg onload": '<svg onload="alert(\'xss-svg\')"><circle r="1"></circle></svg>',
    "style attribute": '<p style="position:fixed;inset:0;background:red">overlay</p>',
    "event handler on an allowed tag": '<strong onmouseover="alert(\'xss-hover\')">bold</strong>',
    "data: URL": '<a href="data:text/html,<script>alert(1)</script>">data</a>',
}
HOSTILE = re.compile(r"<script|onerror|onload|onmouseover|javascript:|data:text|<svg|<img|style=", re.I)
SAFE_HTML = '<p>Fast <strong>charging</strong>, <a href="https://example.com/specs">specs</a></p>'


def description_section(response) -> str:
    content = response.content.decode()
    match = re.search(r'<section id="product_description">(.*?)</section>', content, re.S)
    assert match, "the product page shows no description"
    return match.group(1)


@pytest.mark.parametrize("payload", PAYLOADS.values(), ids=PAYLOADS.keys())
def test_the_sanitiser_removes_every_payload(payload):
    cleaned = rich_text.clean(payload)

    assert not HOSTILE.search(cleaned), cleaned


def test_the_sanitiser_keeps_formatting_and_http_links():
    cleaned = rich_text.clean(SAFE_HTML)

    assert "<strong>charging</strong>" in cleaned
    assert 'href="https://example.com/specs"' in cleaned and 'rel="noopener noreferrer nofollow"' in cleaned


def test_text_outside_tags_is_escaped():
    assert rich_text.clean("5 < 6 & 7 > 3") == "5 &lt; 6 &amp; 7 &gt; 3"


@pytest.fixture
def brand_manager(client, official_store):
    user = get_user_model().objects.create_user("mi.manager", "mi@example.com", "pw-long-enough-1")
    membership_grant(user=user, brand=official_store.brand)
    client.force_login(user)
    return client


def test_a_description_entered_in_the_admin_is_sanitised_on_the_product_page(
    brand_manager, client, official_store, launch_channels, phones
):
    payload = "".join(PAYLOADS.values())
    phone = factories.product("Redmi Note 13", category=phones)
    ProductBrand.objects.create(product=phone, brand=official_store.brand)
    factories.listing(phone, official_store, launch_channels["ng"], "100000")
    factories.listing(phone, official_store, launch_channels["ci"], "84746")
    url = f"/admin/catalogue/product/{phone.pk}/change/"
    data = admin_form_data(brand_manager.get(url))
    data.update({
        "description": f"{SAFE_HTML}{payload}",
        "translations-TOTAL_FORMS": "1", "translations-INITIAL_FORMS": "0",
        "translations-0-language": "fr", "translations-0-title": "Redmi Note 13 (fr)",
        "translations-0-description": f"<p>Recharge <em>rapide</em></p>{payload}",
    })

    saved = brand_manager.post(url, data)

    assert saved.status_code == 302, re.findall(r'errorlist[^>]*>(.*?)</ul>', saved.content.decode())
    assert ProductTranslation.objects.get(parent=phone, language="fr").description.endswith(payload)
    client.logout()
    english = description_section(client.get(f"/ng/catalogue/{phone.slug}_{phone.pk}/"))
    french = description_section(client.get(f"/ci/catalogue/{phone.slug}_{phone.pk}/"))
    assert not HOSTILE.search(english), english
    assert not HOSTILE.search(french), french
    assert "<strong>charging</strong>" in english
    assert "<em>rapide</em>" in french


def test_a_flat_page_is_sanitised_and_its_title_escaped(client, launch_channels):
    page = FlatPage.objects.create(
        url="/about/", title='About <img src=x onerror="alert(1)">',
        content=f"<p>Who we are</p>{PAYLOADS['script']}{PAYLOADS['svg onload']}",
    )
    page.sites.add(Site.objects.get_current())

    response = client.get("/ng/about/")

    assert response.status_code == 200
    article = re.search(r'<article class="flatpage">(.*?)</article>', response.content.decode(), re.S).group(1)
    assert article.strip() == "<p>Who we are</p>"
    assert "About &lt;img" in response.content.decode()
    assert "<img src=x" not in response.content.decode()


def test_a_pickup_stations_address_is_escaped_where_oscar_shows_the_method_raw(channel_ngn):
    option = DeliveryOption.objects.create(
        channel=channel_ngn, kind=DeliveryOption.PICKUP, name="Pickup", price=Decimal("500")
    )
    station = PickupStation.objects.create(
        channel=channel_ngn, name="Ikeja", address=PAYLOADS["img onerror"],
        city="Lagos", opening_hours="<script>alert(2)</script>",
    )

    description = DeliveryMethod(option, channel_ngn, station=station).description

    assert "<img" not in description and "<script" not in description
    assert "&lt;img" in description and "&lt;script&gt;" in description
