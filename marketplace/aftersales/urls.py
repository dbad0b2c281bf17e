from django.urls import path

from . import views

app_name = "aftersales"

urlpatterns = [
    path("warranty/add/<int:pk>/", views.ProductWithPlanAddView.as_view(), name="add-with-plan"),
    path("warranty/line/<int:line_pk>/", views.LinePlanView.as_view(), name="line-plan"),
]
