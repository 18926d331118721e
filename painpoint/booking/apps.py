from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "painpoint.booking"
    label = "booking"
    verbose_name = "Appointments"
