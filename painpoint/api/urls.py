from django.urls import path

from painpoint.api import views

app_name = "api"
urlpatterns = [
    path("assessments", views.assessments, name="assessments"),
    path("openapi.json", views.openapi, name="openapi"),
]
