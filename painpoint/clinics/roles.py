"""Staff roles: each is a Django group with the permissions the role needs, kept in step by every migrate."""

from __future__ import annotations

from typing import Any

CONTENT_EDITOR = "Content editor"
FRONT_DESK = "Front desk"
CLINICIAN = "Clinician"
CLINIC_ADMIN = "Clinic admin"

# app_label.codename for each role.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    CONTENT_EDITOR: {
        f"knowledge.{action}_{model}"
        for action in ("view", "change")
        for model in ("condition", "treatment", "article")
    }
    | {"knowledge.view_region"},
    FRONT_DESK: {"clinics.view_clinic"},
    CLINICIAN: {"clinics.view_clinic", "knowledge.view_condition", "knowledge.view_treatment"},
    CLINIC_ADMIN: {
        "clinics.view_clinic",
        "clinics.change_clinic",
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
    },
}

CALENDAR = ("location", "provider", "visittype", "weeklyhours", "datehours", "timeoff")
INBOX_READ = {"booking.view_request", "booking.view_appointment", "inbox.view_note", "inbox.add_note"}
# The front desk answers the inbox: statuses, notes, booking, moving and cancelling. Clinicians read it, add
# notes and export or print a summary for the record. Only the clinic admin reads the audit trail and runs
# the calendar. Content editors never see patients.
ROLE_PERMISSIONS[FRONT_DESK] |= INBOX_READ | {
    "booking.change_request",
    "booking.add_appointment",
    "booking.change_appointment",
    "booking.view_visittype",
    "booking.view_provider",
    "booking.view_location",
    "outbox.view_message",
}
ROLE_PERMISSIONS[CLINICIAN] |= INBOX_READ | {"booking.export_request"}
ROLE_PERMISSIONS[CLINIC_ADMIN] |= (
    ROLE_PERMISSIONS[FRONT_DESK]
    | ROLE_PERMISSIONS[CLINICIAN]
    | {f"booking.{action}_{model}" for action in ("view", "add", "change", "delete") for model in CALENDAR}
    | {"inbox.view_auditevent", "outbox.change_message"}
)

ROLES = tuple(ROLE_PERMISSIONS)


def ensure_roles(**kwargs: Any) -> None:
    """Create the role groups and set their permissions exactly (post_migrate handler, safe to run again)."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for code in sorted(codes):
            app_label, codename = code.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
