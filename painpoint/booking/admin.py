"""The clinic's calendar in the admin: locations, providers with their hours, visit types, time off.

Requests and appointments are not here: the staff inbox (/staff/) is the one place that shows a patient's
entry, so every view of it is audited and every change goes through the booking service and the workflow.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from painpoint.booking.models import (
    Appointment,
    DateHours,
    Location,
    Provider,
    TimeOff,
    VisitType,
    WeeklyHours,
)


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 0


class DateHoursInline(admin.TabularInline):
    model = DateHours
    extra = 0


@admin.register(Provider)
class ProviderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "active"]
    inlines = [WeeklyHoursInline, DateHoursInline]


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "street", "city", "active"]


@admin.register(VisitType)
class VisitTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "duration_minutes", "mode", "active", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["providers"]


@admin.register(TimeOff)
class TimeOffAdmin(admin.ModelAdmin):
    list_display = ["__str__", "reason"]

    def save_model(self, request: HttpRequest, obj: TimeOff, form: object, change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Time off closes the calendar from now on, but visits already booked in it stay booked: say which,
        # so whoever adds it moves them (by request number only: the admin shows no patient details).
        clashes = Appointment.objects.filter(status=Appointment.BOOKED, start__lt=obj.end, end__gt=obj.start)
        if obj.provider_id is not None:
            clashes = clashes.filter(provider_id=obj.provider_id)
        if clashes:
            links = format_html_join(
                ", ",
                '<a href="{}">#{}</a>',
                ((reverse("inbox:request", args=[a.request_id]), a.request_id) for a in clashes),
            )
            messages.warning(
                request,
                format_html(
                    "{} booked visit(s) fall in this time off and are still booked: {}. "
                    "Move or cancel them from the inbox.",
                    len(clashes),
                    links,
                ),
            )
