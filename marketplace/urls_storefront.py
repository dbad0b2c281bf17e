"""
The storefront of one channel, served under ``/<cc>/[<lang>/]``.

Oscar's shop URLs minus its dashboard (the back office is the Django admin)
and its offers (no currency yet: see ``basket.offers``), with our home page.
"""

from django.apps import apps
from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve

from marketplace.order.reorder import order_line_view
from marketplace.order.views import InvoiceView, OrderLookupView
from marketplace.storefront.accounts import password_reset_view
from marketplace.storefront.views import HomeView

# Replaced below: the home page, and the password reset (rate-limited).
_EXCLUDED = {"home", "password-reset"}
# Oscar's own: our stores' "offers/<pk>/add/" (a seller's offer) comes from stores.urls.
_EXCLUDED_PREFIXES = ("dashboard/", "offers/")

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("orders/lookup/", OrderLookupView.as_view(), name="order-lookup"),
    path("orders/<str:number>/invoice/<str:key>/", InvoiceView.as_view(), name="order-invoice"),
    path("password-reset/", password_reset_view, name="password-reset"),
    # Ahead of Oscar's own pattern for the same URL (which "customer:order-line" still
    # reverses to): its view had a GET page with no template and 500'd on a foreign line.
    path("accounts/orders/<str:order_number>/<int:line_id>/", order_line_view),
    path("payments/", include("marketplace.payments.urls")),
    path("", include("marketplace.flashsales.urls")),
    # Store pages (/stores/, /store/<slug>/) and adding a chosen seller's offer.
    path("", include("marketplace.stores.urls")),
    # Partner shops: the locator (/retailers/), each shop's page (/r/<slug>/).
    path("", include("marketplace.retail.urls")),
    # Extended warranties: added with a product, or to a basket line.
    path("", include("marketplace.aftersales.urls")),
    # Customer service: the help page, the contact form, a request's thread.
    path("", include("marketplace.helpdesk.urls")),
] + [
    pattern
    for pattern in apps.get_app_config("oscar").urls[0]
    if getattr(pattern, "name", None) not in _EXCLUDED
    and not str(pattern.pattern).startswith(_EXCLUDED_PREFIXES)
]

if settings.SERVE_MEDIA:
    # Media URLs are absolute (/media/…); this only keeps a stray relative one working.
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "marketplace.storefront.errors.page_not_found"
handler500 = "marketplace.storefront.errors.server_error"
