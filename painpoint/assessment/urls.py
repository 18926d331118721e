from django.urls import path

from painpoint.assessment import views

app_name = "assessment"
urlpatterns = [
    path("", views.start, name="start"),
    path("results/", views.results, name="results"),
    path("restart/", views.restart, name="restart"),
    path("<slug:slug>/", views.step, name="step"),
]
