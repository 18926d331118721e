"""Staff sign-in: password, then a one-time code; first-time setup; throttling; idle sign-out; the admin."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import override_settings

from painpoint.clinics.roles import FRONT_DESK
from painpoint.inbox.access import SEEN_EVERY, SEEN_KEY, VERIFIED_KEY
from painpoint.inbox.models import AuditEvent, StaffDevice
from painpoint.testing.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery staple"


def password_step(client, username="frank", password=PASSWORD, next_url=""):
    url = "/staff/sign-in/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def current_code(user) -> str:
    return pyotp.TOTP(StaffDevice.objects.get(user=user).secret).now()


def test_a_first_sign_in_sets_up_the_authenticator_and_then_lets_the_user_in(client):
    user = make_user("frank", role=FRONT_DESK)
    response = password_step(client)
    assert response.status_code == 302
    setup = client.get(response["Location"])
    assert b"Set up your authenticator app" in setup.content and b"<svg" in setup.content
    assert not client.session.get(VERIFIED_KEY)
    response = client.post("/staff/sign-in/", {"code": current_code(user)})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.session[VERIFIED_KEY] == user.pk
    assert StaffDevice.objects.get(user=user).confirmed_at is not None
    assert AuditEvent.objects.filter(user=user, action=AuditEvent.SIGN_IN).exists()


def test_a_password_alone_does_not_open_the_staff_pages_or_the_admin(client):
    make_user("frank", role=FRONT_DESK)
    password_step(client)
    for url in ("/staff/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")


def test_a_wrong_code_is_refused_and_a_code_works_only_once(client):
    user = make_user("frank", role=FRONT_DESK)
    password_step(client)
    client.get("/staff/sign-in/")
    response = client.post("/staff/sign-in/", {"code": "000000"})
    assert b"That code is not right" in response.content
    code = current_code(user)
    assert client.post("/staff/sign-in/", {"code": code}).status_code == 302
    client.post("/staff/sign-out/")
    password_step(client)
    again = client.post("/staff/sign-in/", {"code": code})
    assert again.status_code == 200 and b"That code is not right" in again.content


def test_too_many_wrong_passwords_lock_the_name_for_a_while_even_with_the_right_one(client):
    make_user("frank", role=FRONT_DESK)
    for _ in range(5):
        response = password_step(client, password="wrong")
        assert b"do not match" in response.content
    response = password_step(client)
    assert b"Too many failed attempts" in response.content
    assert VERIFIED_KEY not in client.session
    assert AuditEvent.objects.filter(action=AuditEvent.SIGN_IN_FAILED).count() == 5


def test_the_failure_messages_do_not_say_whether_the_name_exists(client):
    make_user("frank", role=FRONT_DESK)
    unknown = password_step(client, username="nobody", password="x").content
    wrong = password_step(client, username="frank", password="x").content
    assert b"do not match" in unknown and b"do not match" in wrong


@override_settings(STAFF_IDLE_SECONDS=60)
def test_an_idle_session_is_signed_out(client):
    user = make_user("frank", role=FRONT_DESK)
    client.force_login(user)
    session = client.session
    session[VERIFIED_KEY] = user.pk
    session[SEEN_KEY] = time.time() - 61
    session.save()
    response = client.get("/staff/")
    assert response.status_code == 302 and "expired=1" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_next_goes_back_to_a_staff_page_but_never_to_another_site(client):
    user = make_user("frank", role=FRONT_DESK)
    password_step(client, next_url="https://evil.example/")
    client.get("/staff/sign-in/")
    response = client.post("/staff/sign-in/?next=https://evil.example/", {"code": current_code(user)})
    assert response["Location"] == "/staff/"


def test_the_admin_login_sends_staff_to_the_sign_in_with_its_code(client):
    response = client.get("/admin/login/?next=/admin/booking/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/admin/booking/"


def test_sign_in_pages_are_never_cached_and_the_password_is_not_echoed(client):
    make_user("frank", role=FRONT_DESK)
    response = password_step(client, password="hunter2-wrong")
    assert "no-store" in response["Cache-Control"]
    assert b"hunter2-wrong" not in response.content


def test_staff_activity_is_written_to_the_session_at_most_every_half_minute(client):
    user = make_user("frank", role=FRONT_DESK)
    client.force_login(user)
    session = client.session
    session[VERIFIED_KEY] = user.pk
    just_now = time.time() - 5
    session[SEEN_KEY] = just_now
    session.save()
    assert client.get("/staff/").status_code == 200
    assert client.session[SEEN_KEY] == just_now  # no session write for a page a moment later
    session = client.session
    session[SEEN_KEY] = time.time() - SEEN_EVERY - 1
    session.save()
    before = time.time()
    assert client.get("/staff/").status_code == 200
    assert client.session[SEEN_KEY] >= before
