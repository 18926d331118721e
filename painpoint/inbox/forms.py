"""The inbox's forms: list filters (no personal data, so they may sit in the URL), the name search (never in
the URL), status changes along the workflow, notes, and the front desk's booking actions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone

from painpoint.booking.models import Appointment, Provider, Request, VisitType
from painpoint.booking.slots import local_day_bounds
from painpoint.inbox.models import AuditEvent
from painpoint.inbox.summary import LEVEL_NAMES

TRIAGE_CHOICES = [("", "Any level"), *LEVEL_NAMES.items(), ("none", "No assessment")]

# The workflow: new → contacted → booked → attended / cancelled / no-show. "Booked" is reached only by giving
# the request a slot (booking.service.confirm), and a booked appointment is cancelled through the calendar
# (service.cancel), so neither is offered here: the status and the calendar cannot disagree. Attended and
# no-show may be swapped (a slip of the mouse), and a closed request may be opened again.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    Request.NEW: (Request.CONTACTED, Request.CANCELLED),
    Request.CONTACTED: (Request.CANCELLED,),
    Request.BOOKED: (Request.ATTENDED, Request.NO_SHOW),
    Request.ATTENDED: (Request.NO_SHOW,),
    Request.NO_SHOW: (Request.ATTENDED,),
    Request.CANCELLED: (Request.CONTACTED,),
}


def next_statuses(request: Request, now: datetime | None = None) -> list[tuple[str, str]]:
    """The statuses this request may move to now, as (value, label) choices."""
    names = dict(Request.STATUSES)
    allowed = list(NEXT_STATUSES.get(request.status, ()))
    if request.status == Request.BOOKED:
        # Attended or not can only be told once the visit has begun.
        upcoming = request.appointments.filter(status=Appointment.BOOKED, start__gt=now or timezone.now())
        if upcoming.exists():
            allowed = []
    return [(value, names[value]) for value in allowed]


class FilterForm(forms.Form):
    """What the list shows. Only codes, ids and dates: nothing here identifies a patient."""

    status = forms.ChoiceField(choices=[("", "Any status"), *Request.STATUSES], required=False)
    kind = forms.ChoiceField(label="Type", choices=[("", "Any type"), *Request.KINDS], required=False)
    visit_type = forms.ModelChoiceField(
        VisitType.objects.all(), to_field_name="slug", required=False, empty_label="Any visit"
    )
    provider = forms.ModelChoiceField(Provider.objects.all(), required=False, empty_label="Anyone")
    triage = forms.ChoiceField(label="Triage level", choices=TRIAGE_CHOICES, required=False)
    created_from = forms.DateField(
        label="Sent from", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    created_to = forms.DateField(
        label="Sent until", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def valid_data(self) -> dict[str, Any]:
        """The filters that are valid: a wrong date is reported and left out, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return self.cleaned_data

    def filtered(self, requests: QuerySet[Request], zone: Any) -> QuerySet[Request]:
        """Narrow `requests` to what the valid filters ask for (days are the clinic's local days)."""
        data = self.valid_data()
        if data.get("status"):
            requests = requests.filter(status=data["status"])
        if data.get("kind"):
            requests = requests.filter(kind=data["kind"])
        # Only these two join the appointments, where a request with several would be listed more than once.
        if data.get("visit_type"):
            visit_type = data["visit_type"]
            requests = requests.filter(
                Q(visit_type=visit_type) | Q(appointments__visit_type=visit_type)
            ).distinct()
        if data.get("provider"):
            requests = requests.filter(appointments__provider=data["provider"]).distinct()
        if data.get("triage") == "none":
            requests = requests.filter(triage="")
        elif data.get("triage"):
            requests = requests.filter(triage=data["triage"])
        if data.get("created_from"):
            requests = requests.filter(created_at__gte=_local_midnight(data["created_from"], zone))
        if data.get("created_to"):
            requests = requests.filter(
                created_at__lt=_local_midnight(data["created_to"] + timedelta(days=1), zone)
            )
        return requests

    def query(self) -> str:
        """The valid filters as a query string, rebuilt from the cleaned values (never copied from input)."""
        pairs = []
        for name, value in self.valid_data().items():
            if value in (None, ""):
                continue
            if isinstance(value, VisitType):
                value = value.slug
            elif isinstance(value, Provider):
                value = value.pk
            elif isinstance(value, date):
                value = value.isoformat()
            pairs.append((name, value))
        return urlencode(pairs)

    @property
    def active(self) -> bool:
        return bool(self.query())


def _local_midnight(day: date, zone: Any) -> datetime:
    return local_day_bounds(day, zone)[0]


def filters_from(raw: str) -> FilterForm:
    """The filter form for a query string carried in a POST (the search form's hidden field)."""
    return FilterForm(QueryDict(raw[:1000]))


class SearchForm(forms.Form):
    q = forms.CharField(label="Name", max_length=120, required=False)
    filters = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(autocomplete="off", spellcheck="false")


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="New status")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, request: Request, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = next_statuses(request)


class NoteForm(forms.Form):
    text = forms.CharField(label="Add a note", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_text(self) -> str:
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError("Write the note first.")
        return text


class CancelForm(forms.Form):
    confirm = forms.BooleanField(
        label="Yes, cancel this appointment and email the patient",
        error_messages={"required": "Tick the box to confirm the cancellation."},
    )


class VisitTypeForm(forms.Form):
    """Which visit to look for free times for (GET, on the "Give a slot" page)."""

    visit_type = forms.ModelChoiceField(
        VisitType.objects.filter(active=True), to_field_name="slug", empty_label=None, label="Visit"
    )


class AuditFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        get_user_model().objects.filter(pk__in=AuditEvent.objects.values("user")).order_by("username"),
        required=False,
        empty_label="Anyone",
        label="Staff member",
    )
    action = forms.ChoiceField(choices=[("", "Any action"), *AuditEvent.ACTIONS], required=False)

    def filtered(self, events: QuerySet[AuditEvent]) -> QuerySet[AuditEvent]:
        if not self.is_valid():
            return events
        if self.cleaned_data["user"]:
            events = events.filter(user=self.cleaned_data["user"])
        if self.cleaned_data["action"]:
            events = events.filter(action=self.cleaned_data["action"])
        return events

    def query(self) -> str:
        if not self.is_valid():
            return ""
        pairs = []
        if self.cleaned_data["user"]:
            pairs.append(("user", self.cleaned_data["user"].pk))
        if self.cleaned_data["action"]:
            pairs.append(("action", self.cleaned_data["action"]))
        return urlencode(pairs)
