from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class AssessmentConfig(AppConfig):
    name = "painpoint.assessment"
    label = "assessment"
    verbose_name = "Assessment"

    def ready(self) -> None:
        from painpoint.assessment.knowledge import forget_offered_services
        from painpoint.clinics.models import Clinic

        # This process sees a change of the clinic's services at once; others within SERVICES_TTL.
        m2m_changed.connect(
            forget_offered_services, sender=Clinic.offered_treatments.through, dispatch_uid="forget-services"
        )
        for signal in (post_save, post_delete):
            signal.connect(forget_offered_services, sender=Clinic, dispatch_uid=f"forget-services-{signal}")
