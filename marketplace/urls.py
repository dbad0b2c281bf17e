"""
Root URLs: the country picker and the back office.

Storefront pages live in ``urls_storefront``, served under ``/<cc>/`` by the
channel middleware; an unknown or inactive country code matches nothing here
and is a 404.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import path, re_path
from django.views.static import serve

from marketplace.channels.views import CountryPickerView

urlpatterns = [
    path("", CountryPickerView.as_view(), name="home"),
    path("admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

handler404 = "marketplace.storefront.errors.page_not_found"
