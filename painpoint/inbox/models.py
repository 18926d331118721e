"""The staff side: notes on requests, the audit trail, staff sign-in codes and sign-in attempts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class Note(models.Model):
    """A staff note on a request ("called, left a message"). Health information: seen only in the inbox."""

    request = models.ForeignKey("booking.Request", on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    text = models.TextField(max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Note #{self.pk}"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


class AuditEvent(models.Model):
    """Who looked at, changed, exported or removed a patient's entry, and when.

    Append-only: the model refuses to save a change to an existing row or to delete one, no role has the
    permission to change or delete, and the admin offers neither. The details never hold health information:
    what was done and to which entry, not what the entry says.
    """

    VIEW, CHANGE, EXPORT, PURGE, SIGN_IN, SIGN_IN_FAILED, SIGN_OUT = (
        "view",
        "change",
        "export",
        "purge",
        "sign-in",
        "sign-in-failed",
        "sign-out",
    )
    ACTIONS = [
        (VIEW, "Viewed"),
        (CHANGE, "Changed"),
        (EXPORT, "Exported"),
        (PURGE, "Purged"),
        (SIGN_IN, "Signed in"),
        (SIGN_IN_FAILED, "Failed sign-in"),
        (SIGN_OUT, "Signed out"),
    ]

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT)
    username = models.CharField(max_length=150, help_text="Kept as it was, should the account change.")
    action = models.CharField(max_length=20, choices=ACTIONS)
    object_kind = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=40, blank=True)
    detail = models.CharField(max_length=300, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_kind", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.object_kind} {self.object_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail cannot be deleted.")


def audit(user: Any, action: str, obj: Any = None, detail: str = "") -> AuditEvent:
    """Write one audit record. `obj` is a model instance or a (kind, id) pair."""
    if obj is None:
        kind, ident = "", ""
    elif isinstance(obj, tuple):
        kind, ident = obj
    else:
        kind, ident = obj._meta.model_name, obj.pk
    authenticated = (
        user is not None and not isinstance(user, str) and getattr(user, "is_authenticated", False)
    )
    return AuditEvent.objects.create(
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else str(user or "system"))[:150],
        action=action,
        object_kind=str(kind)[:40],
        object_id=str(ident)[:40],
        detail=detail[:300],
    )


class StaffDevice(models.Model):
    """A staff member's authenticator app: the shared secret of their time-based one-time codes (TOTP)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The time step of the last code accepted: a code is good once, so a code seen over a shoulder is spent.
    last_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Authenticator of {self.user}"


class SignInAttempt(models.Model):
    """A failed sign-in, counted per user name and per address to slow down guessing (kept one day)."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"Failed sign-in at {self.at:%Y-%m-%d %H:%M}"
