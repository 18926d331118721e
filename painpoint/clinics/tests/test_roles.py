"""Staff roles: each group exists with its permissions, and the admin lets each role do only its part."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from painpoint.clinics.models import Clinic
from painpoint.clinics.roles import CLINIC_ADMIN, CONTENT_EDITOR, FRONT_DESK, ROLES
from painpoint.knowledge.models import Condition
from painpoint.testing.factories import make_user, sign_in_staff

pytestmark = pytest.mark.django_db


def test_every_role_exists_as_a_group_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(ROLES)
    editor = Group.objects.get(name=CONTENT_EDITOR)
    assert editor.permissions.filter(codename="change_condition").exists()
    assert not editor.permissions.filter(codename="change_clinic").exists()


def test_a_content_editor_can_edit_a_condition_but_not_the_clinic_profile(client):
    sign_in_staff(client, make_user("erin", role=CONTENT_EDITOR))
    condition = Condition.objects.get(slug="tennis-elbow")
    assert client.get(f"/admin/knowledge/condition/{condition.pk}/change/").status_code == 200
    clinic = Clinic.objects.current()
    assert client.get(f"/admin/clinics/clinic/{clinic.pk}/change/").status_code == 403


def test_a_clinic_admin_can_edit_the_clinic_profile(client):
    sign_in_staff(client, make_user("carla", role=CLINIC_ADMIN))
    clinic = Clinic.objects.current()
    response = client.get(f"/admin/clinics/clinic/{clinic.pk}/change/")
    assert response.status_code == 200
    data = {
        "name": "Lakeside Pain Clinic",
        "tagline": "",
        "phone": "(555) 777-1000",
        "emergency_number": "911",
        "email": "",
        "website": "",
        "street": "",
        "city": "",
        "state": "",
        "postal_code": "",
        "country": "US",
        "hours": "",
        "primary_colour": "#224466",
        "accent_colour": "#336655",
        "offered_treatments": [],
        "time_zone": "America/Chicago",
        "booking_window_days": "60",
        "minimum_notice_hours": "2",
        "cancel_notice_hours": "24",
    }
    response = client.post(f"/admin/clinics/clinic/{clinic.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    clinic.refresh_from_db()
    assert clinic.name == "Lakeside Pain Clinic"
    assert "(555) 777-1000" in client.get("/").content.decode()


def test_the_clinic_profile_rejects_a_colour_that_is_not_a_hex_code(client):
    sign_in_staff(client, make_user("carla", role=CLINIC_ADMIN))
    clinic = Clinic.objects.current()
    data = {
        "name": "X",
        "phone": "555 1000",
        "emergency_number": "911",
        "country": "US",
        "primary_colour": "red;}{x",
        "accent_colour": "#336655",
    }
    response = client.post(f"/admin/clinics/clinic/{clinic.pk}/change/", data)
    assert response.status_code == 200
    assert (
        "Give the colour as # and six hex digits, e.g. #1f5f8b."
        in response.context["adminform"].form.errors["primary_colour"]
    )


def test_front_desk_staff_cannot_edit_content(client):
    sign_in_staff(client, make_user("frank", role=FRONT_DESK))
    condition = Condition.objects.get(slug="tennis-elbow")
    assert client.get(f"/admin/knowledge/condition/{condition.pk}/change/").status_code == 403


def test_a_signed_in_user_with_no_role_is_turned_away_from_the_admin(client):
    sign_in_staff(client, make_user("nobody"))
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_an_edit_in_the_admin_is_rendered_and_sanitised(client):
    sign_in_staff(client, make_user("erin", role=CONTENT_EDITOR))
    condition = Condition.objects.get(slug="tennis-elbow")
    response = client.get(f"/admin/knowledge/condition/{condition.pk}/change/")
    form = response.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data["regions"] = [r.pk for r in condition.regions.all()]
    data["treatments"] = [t.pk for t in condition.treatments.all()]
    for key in ("aka", "icd10", "sources", "escalates"):
        data[key] = form[key].value()
    data["body_md"] = "## Symptoms\n\nSore <script>alert('x')</script> elbow."
    response = client.post(f"/admin/knowledge/condition/{condition.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    condition.refresh_from_db()
    assert "<script>" not in condition.body_html and "&lt;script&gt;" in condition.body_html
    assert condition.is_edited()
