from django.urls import path

from painpoint.clinics import views

app_name = "clinics"
urlpatterns = [
    path("clinic.css", views.clinic_css, name="css"),
    path("clinic/logo", views.logo, name="logo"),
]
