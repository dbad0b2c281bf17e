"""The providers' callback, included at the root under ``/payments/`` (outside any channel)."""

from django.urls import path

from . import views

urlpatterns = [
    path("callback/<slug:provider_code>/", views.provider_callback, name="payments-callback"),
    path("callback/<slug:provider_code>/refunds/", views.provider_refund_callback, name="payments-refund-callback"),
]
