from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.http import HttpRequest

from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import ROLES

LOGO_TYPES = {"image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff", "image/webp": b"RIFF"}
MAX_LOGO_BYTES = 512 * 1024


class ClinicForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")
    logo_upload = forms.FileField(
        required=False,
        label="Logo",
        help_text="PNG, JPEG or WebP, at most 512 KB. Leave empty to keep the current one.",
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    class Meta:
        model = Clinic
        fields = [
            "name",
            "tagline",
            "phone",
            "emergency_number",
            "email",
            "website",
            "street",
            "city",
            "state",
            "postal_code",
            "country",
            "hours",
            "primary_colour",
            "accent_colour",
            "time_zone",
            "booking_window_days",
            "minimum_notice_hours",
            "cancel_notice_hours",
            "offered_treatments",
        ]

    def clean_logo_upload(self) -> Any:
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        if upload.size > MAX_LOGO_BYTES:
            raise forms.ValidationError("The logo is larger than 512 KB.")
        data = upload.read()
        for mime, magic in LOGO_TYPES.items():
            if data.startswith(magic):
                return mime, data
        raise forms.ValidationError("The logo must be a PNG, JPEG or WebP image.")


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    form = ClinicForm
    filter_horizontal = ["offered_treatments"]
    fieldsets = [
        (None, {"fields": ["name", "tagline", "phone", "emergency_number", "email", "website"]}),
        ("Address and hours", {"fields": ["street", "city", "state", "postal_code", "country", "hours"]}),
        ("Look", {"fields": ["primary_colour", "accent_colour", "logo_upload", "remove_logo"]}),
        ("Services", {"fields": ["offered_treatments"]}),
        (
            "Booking",
            {"fields": ["time_zone", "booking_window_days", "minimum_notice_hours", "cancel_notice_hours"]},
        ),
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not Clinic.objects.exists()

    def save_model(self, request: HttpRequest, obj: Clinic, form: ClinicForm, change: bool) -> None:
        upload = form.cleaned_data.get("logo_upload")
        if upload:
            obj.logo_type, obj.logo = upload
        elif form.cleaned_data.get("remove_logo"):
            obj.logo, obj.logo_type = None, ""
        super().save_model(request, obj, form, change)


# Staff accounts. A clinic admin adds and edits staff, but only a superuser (the host) may grant superuser
# status or single permissions, hand out groups other than the roles, or touch a superuser's account: without
# this, anyone with "change user" could make themselves a superuser.
admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    HOST_ONLY_FIELDS = ("is_superuser", "user_permissions")

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f not in self.HOST_ONLY_FIELDS]})
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=ROLES)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
