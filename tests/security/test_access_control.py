"""Every staff page, admin page and API URL, walked as a visitor, as each role and as signed-in users without
one: nobody reaches what their role does not grant, and nobody without the inbox permission sees a patient.

The URLs come from the URLconf itself, so a page added later is walked too; the expectations come from the
permission each staff page needs (STAFF_POLICY, the one place to declare a new page) and from the roles'
permissions in `painpoint/clinics/roles.py`, never from what the views happen to do.
"""

from __future__ import annotations

import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.backends.db import SessionStore
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from painpoint.booking import notify, service
from painpoint.booking.calendar import Window, free_slots
from painpoint.booking.models import Appointment, Request, TimeOff, VisitType
from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import CLINIC_ADMIN, CLINICIAN, CONTENT_EDITOR, FRONT_DESK, ROLE_PERMISSIONS
from painpoint.inbox.access import OPEN, SEEN_KEY, VERIFIED_KEY
from painpoint.inbox.models import AuditEvent, Note
from painpoint.outbox.api import deliver_due
from painpoint.outbox.models import Message
from painpoint.testing.factories import make_user, sign_in_staff
from tests.security.admin_forms import admin_form

pytestmark = pytest.mark.django_db

# Made at run time: a marker in the test's source could turn up in a traceback or a template.
MARKER = "canary" + secrets.token_hex(6)
NAME = f"Ann {MARKER}name"
EMAIL = f"{MARKER}email@example.org"
REASON = f"Sharp pain {MARKER}reason"
PREFERRED = f"Mornings {MARKER}preferred"
NOTE = f"Called back {MARKER}note"

# The permissions each staff page needs: the policy, written down once. A new /staff/ page fails
# test_every_staff_page_has_a_declared_policy until it is added here.
STAFF_POLICY: dict[str, set[str]] = {
    "list": {"booking.view_request"},
    "search": {"booking.view_request"},
    "request": {"booking.view_request"},
    "status": {"booking.view_request", "booking.change_request"},
    "note": {"booking.view_request", "inbox.add_note"},
    "give-slot": {"booking.view_request", "booking.change_appointment"},
    "cancel-appointment": {"booking.view_request", "booking.change_appointment"},
    "fhir": {"booking.view_request", "booking.export_request"},
    "audit": {"inbox.view_auditevent"},
}
# Pages anyone may open: signing in and out.
STAFF_OPEN = {"sign-in", "sign-out"}
# What the admin offers nobody, whatever the role: the ModelAdmins switch these off on purpose.
ADMIN_NEVER: dict[tuple[str, str], set[str]] = {
    ("booking", "request"): {"add", "delete"},  # requests come from visitors; purge removes them
    ("knowledge", "region"): {"add", "delete"},  # the 49 regions are fixed by the contract
    ("outbox", "message"): {"add", "change", "delete"},  # read-only, with a "retry" action
    ("clinics", "clinic"): {"add"},  # one site, one clinic, which exists
}
# Who may see a patient's name, contact details, reason or notes.
PATIENT_PERMISSION = "booking.view_request"

ALLOW, DENY, EITHER = "allow", "deny", "either"


@dataclass(frozen=True)
class Persona:
    label: str
    role: str | None = None
    signed_in: bool = True
    is_staff: bool = False
    verified: bool = True  # passed the one-time code
    idle: bool = False  # verified, but longer ago than the idle limit

    @property
    def perms(self) -> set[str]:
        return set(ROLE_PERMISSIONS[self.role]) if self.role else set()

    @property
    def through_the_gate(self) -> bool:
        return self.signed_in and self.verified and not self.idle


PERSONAS = [
    Persona("anonymous", signed_in=False),
    Persona("signed in without a role"),
    Persona("staff flag without a role", is_staff=True),
    Persona(CONTENT_EDITOR, CONTENT_EDITOR, is_staff=True),
    Persona(FRONT_DESK, FRONT_DESK, is_staff=True),
    Persona(CLINICIAN, CLINICIAN, is_staff=True),
    Persona(CLINIC_ADMIN, CLINIC_ADMIN, is_staff=True),
    # A clinic admin who gave the password but not the code, and one whose session went idle.
    Persona("clinic admin with a password only", CLINIC_ADMIN, is_staff=True, verified=False),
    Persona("clinic admin, idle too long", CLINIC_ADMIN, is_staff=True, idle=True),
]


# Collecting the URLs


@dataclass(frozen=True)
class Url:
    route: str  # the pattern as written, e.g. "staff/requests/<int:pk>/"
    path: str  # a real path for it, e.g. "/staff/requests/12/"
    name: str | None
    area: str  # "staff", "admin" or "api"


def patterns(resolver: URLResolver | None = None, prefix: str = ""):
    """Yield (route, pattern) for every URL pattern, through every include()."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from patterns(entry, route)
        else:
            assert isinstance(entry, URLPattern)
            yield route, entry


AREAS = ("staff/", "admin/", "api/v1/")
REGEX_GROUP = r"\(\?P<(\w+)>[^)]*\)"  # (?P<app_label>auth|clinics), in the admin's regex patterns
CONVERTER = r"<(?:\w+:)?(\w+)>"  # <int:pk>, <id>


def route_params(route: str) -> list[str]:
    return re.findall(REGEX_GROUP, route) + re.findall(CONVERTER, re.sub(REGEX_GROUP, "", route))


def admin_model_of(route: str) -> tuple[str, str] | None:
    match = re.match(r"^admin/(\w+)/(\w+)/", route)
    if match is None:
        return None
    for model in admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == match.groups():
            return match.group(1), match.group(2)
    return None


def sample_values(world: World, route: str) -> list[dict[str, str]]:
    """Real values for a route's parameters (several when the route covers several pages)."""
    values: dict[str, list[str]] = {}
    model = admin_model_of(route)
    for param in route_params(route):
        if param == "pk":
            values[param] = [str(world.booked.pk)]
        elif param == "appointment_pk":
            values[param] = [str(world.appointment.pk)]
        elif param == "content_type_id":
            values[param] = [str(ContentType.objects.get_for_model(Request).pk)]
        elif param in ("object_id", "id") and route.startswith("admin/r/"):
            values[param] = [str(world.booked.pk)]
        elif param in ("object_id", "id") and model is not None:
            values[param] = [str(world.sample_object(*model).pk)]
        elif param == "app_label":
            alternatives = re.search(r"\(\?P<app_label>([^)]*)\)", route).group(1)
            values[param] = alternatives.split("|")
        elif param == "url":
            values[param] = ["no-such-page/"]
        elif param == "token":
            values[param] = [notify.manage_token(world.booked)]
        else:
            raise AssertionError(f"No sample value for <{param}> in {route!r}: add one to sample_values().")
    combos: list[dict[str, str]] = [{}]
    for param, options in values.items():
        combos = [{**combo, param: option} for combo in combos for option in options]
    return combos


def fill(route: str, values: dict[str, str]) -> str:
    path = route
    for param, value in values.items():
        path = re.sub(rf"\(\?P<{param}>[^)]*\)", value, path)
        path = re.sub(rf"<(?:\w+:)?{param}>", value, path)
    return "/" + path.replace("^", "").replace("$", "")


def collect(world: World) -> list[Url]:
    urls = []
    for route, pattern in patterns():
        clean = route.replace("^", "")
        if not clean.startswith(AREAS):
            continue
        for values in sample_values(world, clean):
            path = fill(clean, values)
            # The path must lead to the pattern it was made from, or the walk tests something else.
            assert resolve(path).func == pattern.callback, f"{path} does not resolve to {route}"
            urls.append(Url(clean, path, pattern.name, clean.split("/", 1)[0]))
    return urls


# The world the walk happens in


class World:
    """A patient's booked visit and call request, with a note, and one object of every admin model."""

    def __init__(self) -> None:
        clinic = Clinic.objects.current()
        visit_type = VisitType.objects.get(slug="new-patient")
        # Not the very first slot: the minimum notice may catch up with it while the test runs.
        slot = free_slots(visit_type, Window.for_visitors(clinic))[1]
        patient = service.Patient(
            name=NAME, phone="(555) 010-0100", email=EMAIL, date_of_birth=None, reason=REASON
        )
        self.booked, _ = service.book(
            visit_type=visit_type,
            start=slot.start,
            provider_id=slot.provider_id,
            location_id=slot.location_id,
            patient=patient,
        )
        self.appointment = self.booked.appointments.get()
        self.called, _ = service.ask(kind=Request.CALL_REQUEST, patient=patient, preferred_times=PREFERRED)
        self.bystander = make_user("bystander", role=FRONT_DESK, first_name="Bea")
        Note.objects.create(request=self.booked, author=self.bystander, text=NOTE)
        if not TimeOff.objects.exists():
            start = timezone.now() + timedelta(days=60)
            TimeOff.objects.create(start=start, end=start + timedelta(hours=2), reason="Staff training")
        assert Message.objects.exists()

    def sample_object(self, app_label: str, model_name: str) -> Any:
        if (app_label, model_name) == ("booking", "request"):
            return self.booked
        if (app_label, model_name) == ("auth", "user"):
            return self.bystander
        model = next(m for m in admin.site._registry if m._meta.label_lower == f"{app_label}.{model_name}")
        found = model._default_manager.order_by("pk").first()
        assert found is not None, f"no {app_label}.{model_name} to open in the admin"
        return found

    def state(self) -> tuple[Any, ...]:
        """What a refused request must not have changed."""
        return (
            tuple(Request.objects.order_by("pk").values_list("pk", "status", "name", "reason")),
            tuple(Appointment.objects.order_by("pk").values_list("pk", "status", "start")),
            tuple(Note.objects.order_by("pk").values_list("pk", "text")),
            Group.objects.count(),
            User.objects.count(),
        )


@pytest.fixture
def world() -> World:
    return World()


def sign_in(client: Client, persona: Persona) -> User | None:
    if not persona.signed_in:
        return None
    user = make_user(
        "persona-" + re.sub(r"\W+", "-", persona.label.lower()),
        role=persona.role,
        is_staff=persona.is_staff,
    )
    refresh(client, persona, user)
    return user


def refresh(client: Client, persona: Persona, user: User) -> None:
    """Put the persona's session back as it was (sign-out pages end it)."""
    if persona.verified:
        sign_in_staff(client, user)
    else:
        client.force_login(user)
    if persona.idle:
        session = client.session
        session[SEEN_KEY] = time.time() - 24 * 3600
        session.save()


# The expectations


def admin_action(route: str) -> str:
    rest = route.split("/", 3)[3]
    if rest == "":
        return "changelist"
    if rest == "add/":
        return "add"
    if rest.endswith("/password/"):
        return "password"
    for action in ("history", "delete", "change"):
        if rest.endswith(f"/{action}/"):
            return action
    assert rest == "<path:object_id>/", route
    return "redirect"


def expectation(url: Url, method: str, persona: Persona) -> str:
    """ALLOW: the persona must get through; DENY: it must be refused; EITHER: both are fine."""
    perms = persona.perms if persona.through_the_gate else set()
    if url.area == "api":
        return EITHER  # the public API: anyone, and the same for everyone
    if url.path.startswith(OPEN):
        return EITHER
    if not persona.through_the_gate:
        return DENY
    if url.area == "staff":
        return ALLOW if STAFF_POLICY[url.name] <= perms else DENY
    if not persona.is_staff:
        return DENY  # the admin is for accounts marked as staff
    model = admin_model_of(url.route)
    if model is None:
        if url.name == "app_list":
            app_label = url.path.split("/")[2]
            registered = {m._meta.model_name for m in admin.site._registry if m._meta.app_label == app_label}
            granted = any(
                code.startswith(f"{app_label}.") and code.split("_", 1)[1] in registered for code in perms
            )
            return ALLOW if granted else DENY
        if url.name in ("index", "password_change", "password_change_done", "jsi18n"):
            return ALLOW
        return EITHER  # autocomplete (needs parameters), view_on_site, the catch-all's 404

    app_label, model_name = model

    def has(action: str) -> bool:
        never = ADMIN_NEVER.get(model, set())
        return action not in never and f"{app_label}.{action}_{model_name}" in perms

    action = admin_action(url.route)
    if action == "redirect":
        return EITHER  # to the change page, which decides
    if action in ("changelist", "history"):
        granted = has("view") or has("change")
    elif action == "change":
        granted = has("change") or (method == "GET" and has("view"))
    elif action == "password":
        granted = has("change")
    else:
        granted = has(action)
    return ALLOW if granted else DENY


def refused(response: Any) -> bool:
    if response.status_code == 403:
        return True
    if response.status_code in (301, 302):
        target = response["Location"].split("?")[0]
        return target in ("/staff/sign-in/", "/admin/login/")
    return False


def patient_markers(response: Any) -> list[str]:
    """Which of the patient's details the response shows (body or redirect target)."""
    text = response.content.decode("utf-8", "replace") + response.get("Location", "")
    if MARKER not in text:
        return []
    fields = ("name", "email", "reason", "preferred", "note")
    return [field for field in fields if MARKER + field in text] or ["a marker"]


def call(client: Client, method: str, path: str) -> Any:
    return client.get(path) if method == "GET" else client.post(path, {})


def walk(client: Client, persona: Persona, user: User | None, urls: list[Url]) -> list[str]:
    """Request every URL with GET, then with an empty POST; return what went wrong, one line each."""
    problems = []
    # Deleting comes last: a deletion the role may make must not hide the pages walked after it.
    posts = sorted(urls, key=lambda url: url.route.endswith("/delete/"))
    for method, batch in (("GET", urls), ("POST", posts)):
        for url in batch:
            response = call(client, method, url.path)
            expected = expectation(url, method, persona)
            where = f"{persona.label}: {method} {url.path} -> {response.status_code}"
            if response.status_code >= 500:
                problems.append(f"{where}: server error")
            if expected == DENY and not (refused(response) or response.status_code in (404, 405)):
                problems.append(f"{where}: should be refused")
            if expected == ALLOW and (refused(response) or response.status_code == 404):
                problems.append(f"{where}: should be let through")
            if PATIENT_PERMISSION not in persona.perms or not persona.through_the_gate:
                leaked = patient_markers(response)
                if leaked:
                    problems.append(f"{where}: shows patient data ({', '.join(leaked)})")
            # The gate sends visitors to the staff sign-in, and only the path may ride along.
            gated = not persona.signed_in and url.area != "api" and not url.path.startswith(OPEN)
            if gated and not (
                response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")
            ):
                problems.append(f"{where}: a visitor must be sent to /staff/sign-in/")
            if user is not None and url.path.startswith(OPEN):
                refresh(client, persona, user)
    return problems


# The tests


def test_the_walk_covers_every_staff_admin_and_api_url(world):
    urls = collect(world)
    routes = {url.route for url in urls}
    for name in (*STAFF_POLICY, *STAFF_OPEN):
        assert any(url.name == name and url.area == "staff" for url in urls), name
    # A patient's entry has one home, the audited inbox: the admin has no page for it.
    assert not any(route.startswith("admin/booking/request/") for route in routes)
    assert "api/v1/appointments" in routes
    # Every admin model's pages are there, with a real object behind each id.
    for model in admin.site._registry:
        assert f"admin/{model._meta.app_label}/{model._meta.model_name}/<path:object_id>/change/" in routes
    assert len(urls) > 90


def test_every_staff_page_has_a_declared_policy(world):
    names = {url.name for url in collect(world) if url.area == "staff"}
    undeclared = names - set(STAFF_POLICY) - STAFF_OPEN
    assert not undeclared, f"add the permission these staff pages need to STAFF_POLICY: {sorted(undeclared)}"
    assert not set(STAFF_POLICY) - names, "STAFF_POLICY names a page that no longer exists"


def test_every_permission_a_role_names_exists_and_the_groups_hold_exactly_them(db):
    for role, codes in ROLE_PERMISSIONS.items():
        user = make_user("check-" + role.lower().replace(" ", "-"), role=role)
        assert user.get_all_permissions() == codes, role


def test_the_roles_grant_what_the_clinic_expects(world):
    """The table the walk checks against, read back at the points the clinic cares about most."""
    urls = {url.name: url for url in collect(world) if url.area == "staff"}
    admin_urls = {url.route: url for url in collect(world) if url.area == "admin"}
    by_role = {persona.role: persona for persona in PERSONAS if persona.role and persona.through_the_gate}

    def may(role: str, name: str, method: str = "GET") -> bool:
        return expectation(urls[name], method, by_role[role]) == ALLOW

    def may_admin(role: str, route: str, method: str = "GET") -> bool:
        return expectation(admin_urls[route], method, by_role[role]) == ALLOW

    assert not may(FRONT_DESK, "audit") and not may(FRONT_DESK, "fhir")
    assert may(FRONT_DESK, "status", "POST") and may(FRONT_DESK, "give-slot", "POST")
    assert not may(CLINICIAN, "status", "POST") and not may(CLINICIAN, "give-slot")
    assert may(CLINICIAN, "fhir") and may(CLINICIAN, "note", "POST")
    assert not may(CLINICIAN, "cancel-appointment", "POST")
    for name in STAFF_POLICY:
        assert not may(CONTENT_EDITOR, name), name
        assert may(CLINIC_ADMIN, name), name
    assert not may_admin(CONTENT_EDITOR, "admin/booking/provider/")
    assert may_admin(CONTENT_EDITOR, "admin/knowledge/condition/<path:object_id>/change/", "POST")
    assert not may_admin(FRONT_DESK, "admin/booking/provider/add/")
    assert may_admin(CLINIC_ADMIN, "admin/booking/provider/add/")


@pytest.mark.parametrize("persona", PERSONAS, ids=[persona.label for persona in PERSONAS])
def test_each_persona_reaches_exactly_what_its_role_grants_and_no_patient_without_it(client, world, persona):
    urls = collect(world)
    user = sign_in(client, persona)
    before = world.state()
    problems = walk(client, persona, user, urls)
    assert not problems, f"{len(problems)} access problems:\n" + "\n".join(problems)
    if PATIENT_PERMISSION not in persona.perms or not persona.through_the_gate:
        # Refused means refused: nothing changed, and nothing was seen or exported in their name.
        assert world.state() == before
        if user is not None:
            seen = AuditEvent.objects.filter(user=user, action__in=[AuditEvent.VIEW, AuditEvent.EXPORT])
            assert not seen.exists()


def test_every_staff_view_refuses_on_its_own_without_the_gate(world):
    """Defence in depth: each view checks the role itself, so a mistake in StaffGate's paths opens nothing."""
    nobody = make_user("nobody-at-all")
    factory = RequestFactory()
    problems = []
    for url in collect(world):
        if url.area != "staff" or url.path.startswith(OPEN):
            continue
        match = resolve(url.path)
        for user, verified in ((AnonymousUser(), False), (nobody, True)):
            for method in ("get", "post"):
                request = getattr(factory, method)(url.path)
                request.user = user
                request.session = SessionStore()
                if verified:
                    request.session[VERIFIED_KEY] = user.pk
                    request.session[SEEN_KEY] = time.time()
                request._dont_enforce_csrf_checks = True
                try:
                    response = match.func(request, *match.args, **match.kwargs)
                except PermissionDenied:
                    continue  # the refusal we hope for
                if hasattr(response, "render"):
                    response.render()
                if not (refused(response) or response.status_code == 405):
                    problems.append(f"{method.upper()} {url.path} as {user}: {response.status_code}")
                if MARKER.encode() in response.content:
                    problems.append(f"{method.upper()} {url.path} as {user}: shows patient data")
    assert not problems, "views that rely on the gate alone:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "path",
    ["//staff/", "/staff//", "/staff/./", "/%73taff/", "/staff/requests/{pk}//", "/STAFF/", "/admin//"],
)
def test_odd_spellings_of_staff_paths_do_not_slip_past_the_gate(client, world, path):
    # PATH_INFO as a server would pass it: the test client would read "//staff/" as a host name.
    path = path.format(pk=world.booked.pk)
    response = client.get(path, PATH_INFO=path.replace("%73", "s"))
    assert MARKER.encode() not in response.content
    assert response.status_code in (301, 302, 404), response.status_code
    if response.status_code in (301, 302):
        assert response["Location"].startswith(("/staff/sign-in/", "/staff/", "/admin/"))


def test_the_staff_notice_links_to_the_audited_inbox_entry_and_names_no_one(world):
    deliver_due()
    notices = [message for message in mail.outbox if message.to == [Clinic.objects.current().email]]
    assert notices
    for message in notices:
        assert re.search(r"/staff/requests/\d+/", message.body), message.body
        assert "/admin/" not in message.body
        assert MARKER not in message.subject + message.body


# Findings of the first walk, fixed: each test states what must hold.


def test_a_clinic_admin_cannot_make_anyone_a_superuser_or_hand_out_single_permissions(client):
    boss = make_user("boss", role=CLINIC_ADMIN, is_staff=True)
    sign_in_staff(client, boss)
    url = f"/admin/auth/user/{boss.pk}/change/"
    extra = Permission.objects.get(content_type__app_label="auth", codename="change_group")
    client.post(url, {**admin_form(client, url), "is_superuser": "on", "user_permissions": [extra.pk]})
    boss.refresh_from_db()
    assert not boss.is_superuser and not boss.user_permissions.exists()


def test_the_admin_has_no_unaudited_page_for_a_patients_entry(client, world):
    desk = make_user("desk", role=FRONT_DESK, is_staff=True)
    sign_in_staff(client, desk)
    for url in (f"/admin/booking/request/{world.booked.pk}/change/", "/admin/booking/request/"):
        response = client.get(url)
        assert response.status_code == 404 and not patient_markers(response), url
