"""Payment pages of a channel, included under ``/<cc>/payments/``."""

from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("sandbox/<slug:reference>/", views.SandboxCardView.as_view(), name="sandbox-card"),
    path("sandbox/<slug:reference>/phone/", views.SandboxPhoneView.as_view(),
         name="sandbox-phone"),
    path("<slug:reference>/", views.PaymentStatusView.as_view(), name="status"),
    path("<slug:reference>/pay/", views.pay, name="pay"),
    path("<slug:reference>/status/", views.payment_status_json, name="status-json"),
]
