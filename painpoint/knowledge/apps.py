from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "painpoint.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge base"
