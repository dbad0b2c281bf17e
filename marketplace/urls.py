"""
Root URLs: the country picker and the back office.

Storefront pages live in ``urls_storefront``, served under ``/<cc>/`` by the
channel middleware; an unknown or inactive country code matches nothing here
and is a 404.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from marketplace.channels.views import CountryPickerView
from marketplace.localisation import views as localisation_views
from marketplace.throttling.ratelimit import ratelimited
from marketplace.thumbnails import views as thumbnail_views

urlpatterns = [
    path("", CountryPickerView.as_view(), name="home"),
    # The admin's sign-in, counted per client before the admin sees it (lockouts: axes).
    path("admin/login/", ratelimited("admin-login")(admin.site.login)),
    path("admin/", admin.site.urls),
    path("payments/", include("marketplace.payments.urls_callback")),
    path("messaging/", include("marketplace.messaging.urls")),
    # Language choice (admin, and storefront forms): channel-aware set_language.
    path("i18n/setlang/", localisation_views.set_language, name="set_language"),
    path("sitemap.xml", localisation_views.sitemap_index, name="sitemap-index"),
    re_path(
        r"^sitemap-(?P<section>[a-z]{2}-[a-z]{2,3})\.xml$",
        localisation_views.sitemap_section, name="sitemap-section",
    ),
    path("robots.txt", localisation_views.robots_txt, name="robots-txt"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        # MEDIA_ROOT, with the original image for a thumbnail not made yet.
        re_path(r"^media/(?P<path>.*)$", thumbnail_views.media),
    ]

handler404 = "marketplace.storefront.errors.page_not_found"
handler500 = "marketplace.storefront.errors.server_error"
