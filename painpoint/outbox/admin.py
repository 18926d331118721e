"""Outgoing messages for staff: what went out, what is waiting, and what failed, with a "retry now" action.

Read-only. Subjects, bodies and attachments are left out: they may name the visit, and the booking itself is
where staff with the right role read about it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone

from painpoint.outbox.api import retry
from painpoint.outbox.models import FAILING_ATTEMPTS, Message, MessageQuerySet


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [*Message.Status.choices, ("failing", f"Failing (given up, or {FAILING_ATTEMPTS}+ attempts)")]

    def queryset(self, request: HttpRequest, queryset: MessageQuerySet) -> MessageQuerySet:
        value = self.value()
        if value == Message.Status.PENDING:
            return queryset.pending()
        if value == Message.Status.SENT:
            return queryset.sent()
        if value == Message.Status.FAILED:
            return queryset.failed()
        if value == "failing":
            return queryset.failing()
        return queryset


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "to", "status_label", "attempts", "next_attempt", "last_error"]
    list_filter = [StatusFilter, "kind"]
    search_fields = ["to"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    fields = [
        "kind",
        "to",
        "status_label",
        "about_kind",
        "about_id",
        "created_at",
        "send_after",
        "attempts",
        "next_attempt_at",
        "failing_since",
        "last_error",
        "sent_at",
        "failed_at",
    ]
    readonly_fields = fields

    @admin.display(description="status")
    def status_label(self, message: Message) -> str:
        return message.status.label

    @admin.display(description="next attempt", ordering="next_attempt_at")
    def next_attempt(self, message: Message) -> Any:
        return message.next_attempt_at if message.status == Message.Status.PENDING else "—"

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request: HttpRequest, queryset: MessageQuerySet) -> None:
        count = retry(queryset, now=timezone.now())
        self.message_user(request, f"{count} message(s) go out on the worker's next round.", messages.SUCCESS)

    def has_view_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return request.user.has_perm("outbox.view_message")

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # Retrying sends email, so it needs the change permission, not just the view one.
        return request.user.has_perm("outbox.change_message")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Message | None = None) -> bool:
        return False
