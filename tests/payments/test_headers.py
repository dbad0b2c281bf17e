"""The payment pages (ours and the sandbox provider's) run under the Content-Security-Policy."""

from tests.csp import assert_security_headers

from .conftest import place_order


def test_card_provider_page_and_status_page(client, card_ngn, listing_ngn):
    _order, payment = place_order(option=card_ngn, listing=listing_ngn)

    for path in (f"/ng/payments/sandbox/{payment.reference}/", f"/ng/payments/{payment.reference}/"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_security_headers(response)


def test_mobile_money_wait_page_polls_from_a_static_script(client, mpesa_kes, listing_kes):
    _order, payment = place_order(option=mpesa_kes, listing=listing_kes)

    wait = client.get(f"/ke/payments/{payment.reference}/")
    assert_security_headers(wait)
    html = wait.content.decode()
    assert 'data-status="pending"' in html and "behaviours" in html
    assert_security_headers(client.get(f"/ke/payments/sandbox/{payment.reference}/phone/"))


def test_the_callback_endpoint_has_the_headers_too(client, db):
    response = client.post("/payments/callback/sandbox/", data=b"{}", content_type="application/json")
    assert response.status_code == 400
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
