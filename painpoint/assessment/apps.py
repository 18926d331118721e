from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "painpoint.assessment"
    label = "assessment"
    verbose_name = "Assessment"
