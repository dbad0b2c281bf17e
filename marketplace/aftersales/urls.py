from django.urls import path

from . import centre_views, device_views, guest_views, views

app_name = "aftersales"

urlpatterns = [
    path("warranty/add/<int:pk>/", views.ProductWithPlanAddView.as_view(), name="add-with-plan"),
    path("warranty/line/<int:line_pk>/", views.LinePlanView.as_view(), name="line-plan"),
    # Stable names (footer links): the shopper's warranties, the public cover check.
    path("warranty/", device_views.WarrantyListView.as_view(), name="warranties"),
    path("warranty/<int:warranty_id>/devices/", device_views.DeviceRegisterView.as_view(),
         name="device-register"),
    path("warranty/guest/", guest_views.GuestProofView.as_view(), name="guest-proof"),
    path("warranty/guest/<str:number>/", guest_views.GuestWarrantiesView.as_view(), name="guest-warranties"),
    path("warranty/check/", device_views.CoverCheckView.as_view(), name="cover-check"),
    path("warranty/devices/<int:device_id>/repairs/", device_views.RepairBookView.as_view(),
         name="repair-book"),
    path("warranty/repairs/<int:booking_id>/accept-quote/", device_views.QuoteAcceptView.as_view(),
         name="quote-accept"),
    path("service-centres/", centre_views.ServiceCentreListView.as_view(), name="service-centres"),
]
