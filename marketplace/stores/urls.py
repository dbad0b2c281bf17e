from django.urls import path

from . import views

app_name = "stores"

urlpatterns = [
    path("stores/", views.StoreListView.as_view(), name="list"),
    path("store/<slug:slug>/", views.StoreDetailView.as_view(), name="detail"),
    path("offers/<int:pk>/add/", views.OfferBasketAddView.as_view(), name="offer-add"),
]
