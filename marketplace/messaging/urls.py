"""The providers' webhook, included at the root under ``/messaging/`` (outside any channel)."""

from django.urls import path

from . import views

urlpatterns = [
    path("inbound/<slug:provider_code>/", views.inbound, name="messaging-inbound"),
]
