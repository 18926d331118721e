from django.urls import path

from painpoint.api import booking, views

app_name = "api"
urlpatterns = [
    path("assessments", views.assessments, name="assessments"),
    path("slots", booking.slots, name="slots"),
    path("appointments", booking.appointments, name="appointments"),
    path("openapi.json", views.openapi, name="openapi"),
]
