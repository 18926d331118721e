"""The clinic's calendar in the admin: locations, providers with their hours, visit types, time off.

Requests and appointments are not here: the staff inbox (/staff/) is the one place that shows a patient's
entry, so every view of it is audited and every change goes through the booking service and the workflow.
"""

from __future__ import annotations

from django.contrib import admin

from painpoint.booking.models import (
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
