"""`painpoint purge`: entries past retention are anonymised, recorded in the audit trail, others untouched."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from painpoint.booking import service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Request, VisitType
from painpoint.booking.tests.conftest import ANN
from painpoint.clinics.models import Clinic
from painpoint.inbox.models import AuditEvent, Note
from painpoint.outbox.models import Message

pytestmark = pytest.mark.django_db


def old_request(days: int) -> Request:
    made, _ = service.ask(
        kind=Request.CALL_REQUEST,
        patient=ANN,
        assessment=service.Assessment(answers={"regions": ["lower-back"]}, result={"triage": "appointment"}),
    )
    Request.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=days))
    Note.objects.create(request=made, text="Called back, left a message")
    return Request.objects.get(pk=made.pk)


def test_entries_past_retention_are_anonymised_and_audited():
    old, recent = old_request(400), old_request(10)
    out = io.StringIO()
    call_command("purge", "--older-than", "365", stdout=out)
    assert "Anonymised 1 entries" in out.getvalue()
    old.refresh_from_db()
    assert (old.name, old.phone, old.email, old.assessment, old.purged) == ("(removed)", "", "", None, True)
    assert old.triage == "appointment" and old.kind == Request.CALL_REQUEST  # still counts as a visit
    assert not Note.objects.filter(request=old).exists()
    assert not Message.objects.filter(about_kind="request", about_id=str(old.pk)).exists()
    event = AuditEvent.objects.get(action=AuditEvent.PURGE)
    assert event.object_id == str(old.pk) and event.username == "purge command"
    recent.refresh_from_db()
    assert recent.name == ANN.name and Note.objects.filter(request=recent).exists()


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nothing():
    old_request(400)
    out = io.StringIO()
    call_command("purge", "--older-than", "365", "--dry-run", stdout=out)
    assert "1 entries" in out.getvalue() and Request.objects.filter(purged=False).count() == 1
    call_command("purge", "--older-than", "365", stdout=io.StringIO())
    out = io.StringIO()
    call_command("purge", "--older-than", "365", stdout=out)
    assert "Anonymised 0 entries" in out.getvalue()


def test_an_entry_with_an_appointment_still_to_come_is_kept():
    new_patient = VisitType.objects.get(slug="new-patient")
    slot = free_slots(new_patient, Window.for_visitors(Clinic.objects.current()))[0]
    made, _ = service.book(
        visit_type=new_patient,
        start=slot.start,
        provider_id=slot.provider_id,
        location_id=slot.location_id,
        patient=ANN,
    )
    Request.objects.filter(pk=made.pk).update(created_at=timezone.now() - timedelta(days=400))
    call_command("purge", "--older-than", "365", stdout=io.StringIO())
    assert Request.objects.get(pk=made.pk).purged is False


def test_a_nonsense_retention_is_refused():
    with pytest.raises(CommandError):
        call_command("purge", "--older-than", "0", stdout=io.StringIO())


def test_expired_interview_sessions_are_deleted():
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    stale = SessionStore()
    stale["painpoint.check"] = {"regions": ["lower-back"]}
    stale.set_expiry(-10)
    stale.create()
    stale.save()
    Session.objects.filter(session_key=stale.session_key).update(
        expire_date=timezone.now() - timedelta(hours=1)
    )
    call_command("purge", "--older-than", "365", stdout=io.StringIO())
    assert not Session.objects.filter(session_key=stale.session_key).exists()
