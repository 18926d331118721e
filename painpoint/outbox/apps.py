from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "painpoint.outbox"
    label = "outbox"
    verbose_name = "Outgoing messages"
