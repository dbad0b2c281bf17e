from django.urls import path

from . import views

app_name = "retail"

urlpatterns = [
    path("retailers/", views.RetailerListView.as_view(), name="locator"),
    path("r/<slug:slug>/", views.ShopView.as_view(), name="shop"),
    path("r/<slug:slug>/qr.svg", views.ShopQRView.as_view(), name="qr"),
    path("r/<slug:slug>/add/", views.ShopBasketAddView.as_view(), name="add"),
    path("retail/join/<str:token>/", views.JoinView.as_view(), name="join"),
    path("r/<slug:slug>/leave/", views.ShopLeaveView.as_view(), name="leave"),
]
