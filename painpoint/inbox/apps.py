from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "painpoint.inbox"
    label = "inbox"
    verbose_name = "Staff inbox"
