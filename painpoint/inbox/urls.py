from django.urls import path

from painpoint.inbox import signin, views

app_name = "inbox"
urlpatterns = [
    path("sign-in/", signin.sign_in, name="sign-in"),
    path("sign-out/", signin.sign_out, name="sign-out"),
    path("", views.RequestList.as_view(), name="list"),
    path("search/", views.search, name="search"),
    path("requests/<int:pk>/", views.entry, name="request"),
    path("requests/<int:pk>/status/", views.change_status, name="status"),
    path("requests/<int:pk>/notes/", views.add_note, name="note"),
    path("requests/<int:pk>/slot/", views.give_slot, name="give-slot"),
    path(
        "requests/<int:pk>/appointments/<int:appointment_pk>/cancel/",
        views.cancel_appointment,
        name="cancel-appointment",
    ),
    path("requests/<int:pk>/fhir.json", views.export_fhir, name="fhir"),
    path("audit/", views.AuditList.as_view(), name="audit"),
]
