"""`painpoint purge --older-than DAYS`: anonymise entries past the clinic's retention period.

An entry (a request, with its appointments) is past retention when it was made, and its last appointment
ended, more than DAYS ago. Its personal and health details are blanked, its notes deleted, and the emails
about it removed from the outbox; what remains (kind, status, visit type, dates, triage level) counts visits
without saying whose they were. Each entry purged writes one audit record. Expired sessions (interview answers
left after an hour) are deleted as well; run it daily.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from painpoint.booking.models import IdempotencyKey, Request
from painpoint.inbox.models import AuditEvent, Note, audit
from painpoint.outbox.models import Message

BATCH = 200


class Command(BaseCommand):
    help = (
        "Anonymise requests and appointments older than --older-than DAYS, and record it in the audit trail."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be purged; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["older_than"]
        if days < 1:
            raise CommandError("--older-than must be at least 1 day.")
        cutoff = timezone.now() - timedelta(days=days)
        due = (
            Request.objects.filter(created_at__lt=cutoff, purged=False)
            .annotate(last_end=Max("appointments__end"))
            .filter(Q(last_end__isnull=True) | Q(last_end__lt=cutoff))
        )
        ids = list(due.values_list("pk", flat=True))
        if options["dry_run"]:
            self.stdout.write(f"{len(ids)} entries older than {days} days would be anonymised.")
            return
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                for request in Request.objects.select_for_update().filter(pk__in=ids[start : start + BATCH]):
                    anonymise(request)
        self.stdout.write(f"Anonymised {len(ids)} entries older than {days} days.")
        # Interview answers live in sessions for an hour; expired ones are removed here, not left to pile up.
        call_command("clearsessions")


def anonymise(request: Request) -> None:
    appointment_ids = [str(pk) for pk in request.appointments.values_list("pk", flat=True)]
    Message.objects.filter(
        Q(about_kind="request", about_id=str(request.pk))
        | Q(about_kind="appointment", about_id__in=appointment_ids)
    ).delete()
    Note.objects.filter(request=request).delete()
    IdempotencyKey.objects.filter(request=request).delete()
    request.name = "(removed)"
    request.phone = ""
    request.email = ""
    request.date_of_birth = None
    request.reason = ""
    request.preferred_times = ""
    request.assessment = None
    request.purged = True
    request.save()
    audit("purge command", AuditEvent.PURGE, request, detail="anonymised past the retention period")
