from django.urls import path

from . import views

app_name = "flashsales"

urlpatterns = [
    path("flash-sales/", views.SalesView.as_view(), name="index"),
    path("flash-sales/festival/<slug:slug>/", views.SalesView.as_view(), name="festival"),
    path("flash-sales/items/<int:item_id>/claim/", views.claim, name="claim"),
    path("flash-sales/status/", views.status, name="status"),
    path("flash-sales/checkout/", views.short_checkout, name="checkout"),
    # Any text: a malformed token gets the page's translated 404, not the router's.
    path("flash-sales/checkout/<str:token>/", views.short_checkout, name="checkout-claim"),
    path("flash-sales/checkout/<str:token>/code/", views.send_code, name="checkout-code"),
    path("flash-sales/orders/<str:number>/", views.accepted, name="accepted"),
]
