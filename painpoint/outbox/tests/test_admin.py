"""The outbox in the admin: read-only, for staff allowed to see it, no subjects or bodies, and a retry."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from painpoint.outbox.models import Message
from painpoint.outbox.tests.factory import BODY, SUBJECT, queue
from painpoint.testing.factories import make_user, sign_in_staff

pytestmark = pytest.mark.django_db

LIST = "/admin/outbox/message/"


def make_staff(username, *codenames):
    user = make_user(username, is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="outbox", codename__in=codenames)
    )
    return user


def given_up():
    message = queue(to="pat@example.com")
    now = timezone.now()
    Message.objects.filter(pk=message.pk).update(
        attempts=50, failing_since=now, failed_at=now, last_error="ConnectionRefusedError: refused"
    )
    return message


def test_staff_without_the_view_permission_are_turned_away(client):
    sign_in_staff(client, make_staff("bob"))

    assert client.get(LIST).status_code == 403


def test_the_list_shows_status_attempts_and_error_but_no_subject_or_body(client):
    message = given_up()
    sign_in_staff(client, make_staff("vera", "view_message"))

    page = client.get(LIST).content.decode()
    detail = client.get(f"{LIST}{message.pk}/change/").content.decode()

    assert "Failed" in page
    assert "ConnectionRefusedError: refused" in page
    assert "pat@example.com" in page
    for html in (page, detail):
        assert SUBJECT not in html
        assert BODY not in html


def test_the_list_filters_by_status(client):
    given_up()
    queue(to="waiting@example.com")
    sign_in_staff(client, make_staff("vera", "view_message"))

    page = client.get(LIST, {"status": "failed"}).content.decode()

    assert "pat@example.com" in page
    assert "waiting@example.com" not in page


def test_the_list_is_read_only(client):
    message = given_up()
    sign_in_staff(client, make_staff("vera", "view_message", "change_message"))

    assert client.get(f"{LIST}add/").status_code == 403
    assert client.post(f"{LIST}{message.pk}/change/", {"to": "x@example.com"}).status_code == 403
    assert client.post(f"{LIST}{message.pk}/delete/", {"post": "yes"}).status_code == 403


def test_retry_now_makes_a_given_up_message_due_again(client):
    message = given_up()
    sign_in_staff(client, make_staff("carla", "view_message", "change_message"))

    response = client.post(LIST, {"action": "retry_now", "_selected_action": [message.pk]}, follow=True)

    assert "1 message(s) go out on the worker" in response.content.decode()
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING
    assert message.attempts == 0
    assert message.next_attempt_at <= timezone.now()


def test_a_viewer_cannot_retry(client):
    message = given_up()
    sign_in_staff(client, make_staff("vera", "view_message"))

    client.post(LIST, {"action": "retry_now", "_selected_action": [message.pk]})

    message.refresh_from_db()
    assert message.status == Message.Status.FAILED


def test_a_superuser_sees_the_list(client):
    sign_in_staff(client, make_user("root", is_staff=True, is_superuser=True))

    assert client.get(LIST).status_code == 200
