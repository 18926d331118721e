"""The staff inbox: the list of requests, one request's entry with its pain summary, the front desk's
actions, the FHIR export and the audit trail.

Every view asks for its role's permission (`staff_permission`), and `StaffGate` has already made sure the
session passed the one-time code and sends no-store on every /staff/ page. Every view, change and export of a
patient's entry writes an audit record, and so does each page of the list, since it shows patients' names:
what was done and to which entry, never what the entry says. No name or other personal detail ever goes
into a URL, where browser history, proxies and server logs would keep it: the name search is a POST whose
term waits in the session, and filters hold only codes, ids and dates.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_POST, require_safe
from django.views.generic import ListView

from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots, parse_slot_key
from painpoint.booking.models import Appointment, Request, VisitType
from painpoint.booking.views import day_picker
from painpoint.clinics.models import Clinic
from painpoint.inbox import fhir, summary
from painpoint.inbox.access import staff_permission
from painpoint.inbox.forms import (
    AuditFilterForm,
    CancelForm,
    FilterForm,
    NoteForm,
    SearchForm,
    StatusForm,
    VisitTypeForm,
    filters_from,
)
from painpoint.inbox.models import AuditEvent, Note, audit
from painpoint.outbox.api import failing_messages

SEARCH_KEY = "painpoint.inbox.search"  # the name searched for, kept in the session and never in a URL
PAGE_SIZE = 25
SLOT_KINDS = (Request.APPOINTMENT_REQUEST, Request.CALL_REQUEST)


def current_appointment(found: Request) -> Appointment | None:
    """The appointment to show for a request: the booked one, else the latest (uses prefetched rows)."""
    rows = list(found.appointments.all())
    booked = [row for row in rows if row.status == Appointment.BOOKED]
    if booked:
        return booked[0]
    return max(rows, key=lambda row: row.start) if rows else None


def can_give_slot(found: Request) -> bool:
    return (
        found.kind in SLOT_KINDS
        and found.status in (Request.NEW, Request.CONTACTED)
        and not found.appointments.filter(status=Appointment.BOOKED).exists()
    )


@method_decorator(staff_permission("booking.view_request"), name="dispatch")
class RequestList(ListView):
    """All requests, newest first, with filters in the URL and the name search in the session."""

    template_name = "inbox/list.html"
    context_object_name = "requests"
    paginate_by = PAGE_SIZE

    def get_queryset(self) -> QuerySet[Request]:
        self.clinic = Clinic.objects.current()
        self.filters = FilterForm(self.request.GET or None)
        self.term = self.request.session.get(SEARCH_KEY, "")
        appointments = Appointment.objects.select_related("visit_type", "provider").order_by("start")
        found = Request.objects.select_related("visit_type").prefetch_related(
            Prefetch("appointments", queryset=appointments)
        )
        found = self.filters.filtered(found, self.clinic.zone)
        if self.term:
            found = found.filter(name__icontains=self.term)
        return found.order_by("-created_at", "-pk")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.filters.query()
        context.update(
            filters=self.filters,
            query=query,
            term=self.term,
            search_form=SearchForm(initial={"q": self.term, "filters": query}),
            rows=[(row, current_appointment(row)) for row in context["requests"]],
            zone_name=self.clinic.time_zone,
            # Emails the outbox gave up on, or keeps failing to send: staff must know a patient was not told.
            failing_emails=failing_messages().count(),
            can_see_outbox=self.request.user.has_perm("outbox.view_message"),
        )
        return context

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().get(request, *args, **kwargs)
        page = response.context_data["page_obj"]  # type: ignore[attr-defined]
        shown = [str(row.pk) for row in page.object_list]
        narrowed = [
            part for part, on in (("filtered", self.filters.active), ("name search", self.term)) if on
        ]
        detail = f"page {page.number} of {page.paginator.num_pages}, {len(shown)} entries"
        if narrowed:
            detail += f" ({', '.join(narrowed)})"
        if shown:
            # Which entries' names were on the screen: the audit must answer "who saw that this person wrote".
            detail += ": #" + " #".join(shown)
        audit(request.user, AuditEvent.VIEW, ("request-list", ""), detail)
        return response


@staff_permission("booking.view_request")
@require_POST
def search(request: HttpRequest) -> HttpResponse:
    """Keep the name searched for in the session and go back to the list (post, redirect, get)."""
    form = SearchForm(request.POST)
    query = ""
    if form.is_valid():
        term = " ".join(form.cleaned_data["q"].split())
        if request.POST.get("clear") or not term:
            request.session.pop(SEARCH_KEY, None)
        else:
            request.session[SEARCH_KEY] = term
        query = filters_from(form.cleaned_data["filters"]).query()
    return redirect(reverse("inbox:list") + (f"?{query}" if query else ""))


def _entry(
    request: HttpRequest, found: Request, status: int = 200, detail: str = "", **forms: Any
) -> HttpResponse:
    """Show a request's entry (with any forms that came back with errors) and record that it was seen."""
    appointments = list(
        found.appointments.select_related("visit_type", "provider", "location").order_by("start")
    )
    notes = list(found.notes.select_related("author")) if request.user.has_perm("inbox.view_note") else []
    forms.setdefault("status_form", StatusForm(request=found))
    forms.setdefault("note_form", NoteForm())
    context = {
        "entry": found,
        "pain": summary.build(found.assessment),
        "appointments": appointments,
        "notes": notes,
        "can_give_slot": can_give_slot(found),
        "has_next_status": bool(forms["status_form"].fields["status"].choices),
        "cancel_form": forms.pop("cancel_form", None) or CancelForm(),
        "cancel_for": forms.pop("cancel_for", None),
        "cancel_error": forms.pop("cancel_error", ""),
        "age": _age(found.date_of_birth),
        **forms,
    }
    audit(request.user, AuditEvent.VIEW, found, detail)
    return render(request, "inbox/request.html", context, status=status)


def _age(born: date | None, today: date | None = None) -> int | None:
    if born is None:
        return None
    today = today or timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@staff_permission("booking.view_request")
@require_safe
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Request.objects.select_related("visit_type"), pk=pk)
    return _entry(request, found)


@staff_permission("booking.view_request", "booking.change_request")
@require_POST
def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    with transaction.atomic():
        # Locked, so that two people answering the same request at once cannot both move it from the
        # status they saw: the second form is checked against the status the first one left.
        found = get_object_or_404(Request.objects.select_for_update(), pk=pk)
        form = StatusForm(request.POST, request=found)
        if form.is_valid():
            before = found.status
            found.status = form.cleaned_data["status"]
            found.save(update_fields=["status", "updated_at"])
            detail = f"status {before} → {found.status}"
            if form.cleaned_data["note"].strip():
                Note.objects.create(
                    request=found, author=request.user, text=form.cleaned_data["note"].strip()
                )
                detail += ", note added"
            audit(request.user, AuditEvent.CHANGE, found, detail)
    if form.is_valid():
        messages.success(request, f"The status is now “{found.get_status_display()}”.")
        return redirect("inbox:request", pk=found.pk)
    return _entry(request, found, status=400, status_form=form)


@staff_permission("booking.view_request", "inbox.add_note")
@require_POST
def add_note(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Request, pk=pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _entry(request, found, status=400, note_form=form)
    Note.objects.create(request=found, author=request.user, text=form.cleaned_data["text"])
    audit(request.user, AuditEvent.CHANGE, found, "note added")
    messages.success(request, "Your note is saved.")
    return redirect(reverse("inbox:request", args=[found.pk]) + "#notes")


@staff_permission("booking.view_request", "booking.change_appointment")
@require_POST
def cancel_appointment(request: HttpRequest, pk: int, appointment_pk: int) -> HttpResponse:
    booked = get_object_or_404(
        Appointment.objects.select_related("request"), pk=appointment_pk, request_id=pk
    )
    found = booked.request
    form = CancelForm(request.POST)
    if not form.is_valid():
        return _entry(request, found, status=400, cancel_form=form, cancel_for=booked.pk)
    if booked.status != Appointment.BOOKED:
        messages.info(request, "This appointment was already cancelled.")
        return redirect("inbox:request", pk=found.pk)
    try:
        service.cancel(booked, by_staff=True)
    except service.BookingError as problem:
        return _entry(request, found, status=409, cancel_for=booked.pk, cancel_error=problem.message)
    audit(request.user, AuditEvent.CHANGE, found, f"appointment #{booked.pk} cancelled")
    messages.success(request, "The appointment is cancelled, and the patient will get an email.")
    return redirect("inbox:request", pk=found.pk)


@staff_permission("booking.view_request", "booking.change_appointment")
def give_slot(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an appointment or call request a free time: browse by visit and day (GET), confirm (POST)."""
    found = get_object_or_404(Request.objects.select_related("visit_type"), pk=pk)
    if not can_give_slot(found):
        messages.info(request, "This request cannot be given a time: it has one already, or it is closed.")
        return redirect("inbox:request", pk=found.pk)
    clinic = Clinic.objects.current()
    default = found.visit_type if found.visit_type and found.visit_type.active else None
    default = default or VisitType.objects.filter(active=True).first()
    data = request.POST if request.method == "POST" else request.GET
    chooser = VisitTypeForm(data if "visit_type" in data else {"visit_type": getattr(default, "slug", "")})
    visit_type: VisitType | None = chooser.cleaned_data["visit_type"] if chooser.is_valid() else default
    now = timezone.now()
    # Staff may give any free time from now on: the visitors' minimum notice does not bind the front desk.
    window = Window(now, now + timedelta(days=clinic.booking_window_days))
    error = ""
    chosen_key = request.POST.get("slot", "")
    if request.method == "POST" and visit_type is not None:
        parsed = parse_slot_key(chosen_key)
        if parsed is None:
            error = "Please choose a time."
        else:
            start, provider_id, location_id = parsed
            try:
                booked = service.confirm(
                    found,
                    visit_type=visit_type,
                    start=start,
                    provider_id=provider_id,
                    location_id=location_id,
                )
            except service.BookingError as problem:
                error = problem.message
            else:
                audit(request.user, AuditEvent.CHANGE, found, f"appointment #{booked.pk} booked")
                messages.success(request, "The appointment is booked, and the patient will get an email.")
                return redirect("inbox:request", pk=found.pk)
    # Listed only now: a confirmed time redirects, and a refused one is no longer offered.
    found_slots = free_slots(visit_type, window, clinic=clinic) if visit_type else []
    context = {
        "entry": found,
        "chooser": chooser,
        "visit_type": visit_type,
        **day_picker(found_slots, clinic, data.get("day"), chosen_key=chosen_key, slot_error=error),
    }
    audit(request.user, AuditEvent.VIEW, found, "give a slot")
    return render(request, "inbox/give_slot.html", context, status=409 if error else 200)


@staff_permission("booking.view_request", "booking.export_request")
@require_safe
def export_fhir(request: HttpRequest, pk: int) -> HttpResponse:
    """The request as a FHIR R4B Bundle, checked against the FHIR models before it leaves."""
    found = get_object_or_404(Request, pk=pk)
    data = fhir.bundle(found)
    fhir.validate(data)  # a failure is our bug: better a server error than a file another system rejects
    audit(request.user, AuditEvent.EXPORT, found, "FHIR R4B bundle")
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=fhir.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="request-{found.pk}.fhir.json"'
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(staff_permission("inbox.view_auditevent"), name="dispatch")
class AuditList(ListView):
    """The audit trail, newest first: read-only, for the clinic admin."""

    template_name = "inbox/audit.html"
    context_object_name = "events"
    paginate_by = 50

    def get_queryset(self) -> QuerySet[AuditEvent]:
        self.filters = AuditFilterForm(self.request.GET or None)
        return self.filters.filtered(AuditEvent.objects.select_related("user"))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(filters=self.filters, query=self.filters.query())
        return context
