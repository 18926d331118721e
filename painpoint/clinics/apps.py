from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ClinicsConfig(AppConfig):
    name = "painpoint.clinics"
    label = "clinics"
    verbose_name = "Clinic"

    def ready(self) -> None:
        from painpoint.clinics import checks  # noqa: F401  (registers the system checks)
        from painpoint.clinics.roles import ensure_roles

        post_migrate.connect(ensure_roles, dispatch_uid="painpoint.clinics.ensure_roles")
