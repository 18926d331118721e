from django.urls import path

from painpoint.booking import views

app_name = "booking"
urlpatterns = [
    path("", views.start, name="start"),
    path("call/", views.call, name="call"),
    path("thanks/", views.thanks, name="thanks"),
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/move/", views.move, name="move"),
    path("<slug:slug>/", views.visit, name="visit"),
]
