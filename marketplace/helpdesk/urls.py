from django.urls import path

from . import views

app_name = "helpdesk"

# Stable names (footer links): helpdesk:help.
urlpatterns = [
    path("help/", views.HelpView.as_view(), name="help"),
    path("help/contact/", views.ContactView.as_view(), name="contact"),
    path("help/requests/<str:reference>/<str:token>/", views.RequestView.as_view(), name="request"),
    path("help/returns/<str:number>/", views.ReturnView.as_view(), name="return"),
    path("help/returns/<str:number>/<str:hash>/", views.GuestReturnView.as_view(), name="guest-return"),
]
