"""Quick guards: security headers on every page, HTTPS in production, no caching of patient pages, templates
that a strict Content-Security-Policy can serve, and CSRF on every form that posts."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from painpoint.booking import notify
from painpoint.clinics.roles import CLINIC_ADMIN
from painpoint.knowledge.models import Article, Condition, Treatment
from painpoint.testing.factories import make_user, sign_in_staff
from tests.security import interview
from tests.security.test_access_control import OPEN, World, collect

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Views that take posts without a CSRF token, and why that is safe: the JSON API. Browsers cannot send a
# cross-site `Content-Type: application/json` body without a CORS preflight, which the site never grants,
# and the API reads no cookie. The bench views exist only when PAINPOINT_BENCH_VIEWS is on.
CSRF_EXEMPT = {
    "painpoint.api.views.assessments",
    "painpoint.api.booking.slots",
    "painpoint.api.booking.appointments",
}
CSRF_EXEMPT_OFF_BY_DEFAULT = {"painpoint.lib.bench.bare", "painpoint.lib.bench.bare_json"}


def public_pages(world: World) -> list[str]:
    token = notify.manage_token(world.booked)
    return [
        "/",
        "/where-does-it-hurt/lower-back/",
        Condition.objects.order_by("pk").first().get_absolute_url(),
        "/treatments/",
        Treatment.objects.order_by("pk").first().get_absolute_url(),
        "/articles/",
        Article.objects.order_by("pk").first().get_absolute_url(),
        "/a-to-z/",
        "/search/?q=sciatica",
        "/check/where/",
        "/appointments/",
        "/appointments/new-patient/",
        "/appointments/injection-consultation/",
        "/appointments/call/",
        "/appointments/thanks/",
        f"/appointments/manage/{token}/",
        f"/appointments/manage/{token}/move/",
        "/contact/",
        "/staff/sign-in/",
        "/no-such-page/",
        "/robots.txt",
        "/sitemap.xml",
        "/clinic.css",
        "/api/v1/openapi.json",
    ]


def staff_pages(world: World) -> list[str]:
    return [
        url.path for url in collect(world) if url.area in ("staff", "admin") and not url.path.startswith(OPEN)
    ]


def directives(csp: str) -> dict[str, list[str]]:
    found = {}
    for part in csp.split(";"):
        words = part.split()
        if words:
            found[words[0].lower()] = [word.lower() for word in words[1:]]
    return found


def header_problems(path: str, response) -> list[str]:
    if response.status_code in (301, 302):
        # An empty redirect: nothing to frame or run. (StaffGate answers before the CSP middleware runs.)
        missing = [h for h in ("X-Content-Type-Options", "Referrer-Policy") if h not in response]
        return [f"{path} ({response.status_code}): no {h}" for h in missing]
    problems = []
    csp = directives(response.get("Content-Security-Policy", ""))
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append("no Content-Security-Policy with script-src or default-src")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts):
        problems.append(f"script-src allows too much: {scripts}")
    for name, wanted in (
        ("object-src", ["'none'"]),
        ("frame-ancestors", ["'none'"]),
        ("base-uri", ["'self'"]),
    ):
        if csp.get(name) != wanted:
            problems.append(f"{name} is {csp.get(name)}, not {wanted}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy") not in ("same-origin", "no-referrer", "strict-origin"):
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    if response.get("X-Frame-Options") != "DENY":
        problems.append("no X-Frame-Options: DENY")
    return [f"{path} ({response.status_code}): {problem}" for problem in problems]


def test_every_public_and_staff_page_sends_a_strict_csp_nosniff_and_a_referrer_policy(client):
    world = World()
    problems = []
    for path in public_pages(world):
        problems += header_problems(path, client.get(path))
    sign_in_staff(client, make_user("boss", role=CLINIC_ADMIN, is_staff=True))
    for path in staff_pages(world):
        problems += header_problems(path, client.get(path))
    # Refusals and errors too: a 403 and the API's JSON.
    problems += header_problems("/staff/ as a visitor", Client().get("/staff/"))
    problems += header_problems("/api/v1/appointments", client.get("/api/v1/appointments"))
    assert not problems, "\n".join(problems)


def test_public_pages_are_gzipped_for_a_browser_that_accepts_it_and_staff_pages_never_are(client):
    world = World()
    problems = []
    for path in public_pages(world):
        if path.startswith("/staff/"):
            continue  # the staff sign-in page is a staff page
        response = client.get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        html = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and html and len(response.content) > 1000:
            if response.get("Content-Encoding") != "gzip":
                problems.append(f"{path}: not gzipped")
            elif len(gzip.decompress(response.content)) < 2 * len(response.content):
                problems.append(f"{path}: the gzipped body does not open to a larger one")
    sign_in_staff(client, make_user("boss", role=CLINIC_ADMIN, is_staff=True))
    for path in ["/staff/sign-in/", *staff_pages(world)]:
        # BREACH: a staff page can show what the user typed beside health information.
        if client.get(path, HTTP_ACCEPT_ENCODING="gzip").has_header("Content-Encoding"):
            problems.append(f"{path}: a staff page was compressed")
    assert not problems, "\n".join(problems)
    # A client that does not ask for gzip gets the page as it is, and the API answers as it is.
    assert not client.get("/check/where/").has_header("Content-Encoding")
    api = client.get("/api/v1/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert api.status_code == 200 and not api.has_header("Content-Encoding")


def test_pages_with_patient_data_are_never_stored_by_a_browser_or_a_proxy(client):
    world = World()
    problems = []

    def check(path: str, response) -> None:
        cache = response.get("Cache-Control", "")
        if "no-store" not in cache:
            problems.append(f"{path} ({response.status_code}): Cache-Control is {cache!r}")

    token = notify.manage_token(world.booked)
    for path in (f"/appointments/manage/{token}/", f"/appointments/manage/{token}/move/", "/contact/"):
        check(path, client.get(path))
    for path in ("/appointments/new-patient/", "/appointments/call/", "/appointments/thanks/"):
        check(path, client.get(path))

    def get(path: str):
        response = client.get(path, follow=True)
        check(response.wsgi_request.path, response)
        return response

    def post(path: str, data: dict):
        response = client.post(path, data, follow=True)
        check(response.wsgi_request.path, response)
        return response

    answered = interview.walk(get, post, lambda: client.session)
    for slug in answered:
        check(f"/check/{slug}/", client.get(f"/check/{slug}/"))
    check("/check/results/", client.get("/check/results/"))
    check("/search/?q=numb legs", client.get("/search/", {"q": "numb legs"}))
    check("/staff/sign-in/", Client().get("/staff/sign-in/"))
    sign_in_staff(client, make_user("boss", role=CLINIC_ADMIN, is_staff=True))
    for path in staff_pages(world):
        check(path, client.get(path))
    assert not problems, "\n".join(problems)


def test_production_settings_turn_on_https_everywhere(tmp_path):
    """Read the settings as production reads them, in a fresh interpreter, then serve a page with them."""
    code = (
        "import json, django.conf as c; from painpoint import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ("
        "'DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
        "'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_PROXY_SSL_HEADER')}))"
    )
    keep = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PAINPOINT_", "SECURE_", "DEBUG"))
    }
    env = {**keep, "PAINPOINT_ENV": "production", "PAINPOINT_DATA_DIR": str(tmp_path), "SECRET_KEY": "x" * 60}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout)
    assert production["DEBUG"] is False
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and production["SECURE_SSL_REDIRECT"]
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"]

    wanted = {k: tuple(v) if isinstance(v, list) else v for k, v in production.items() if k != "DEBUG"}
    with override_settings(**wanted):
        client = Client()
        plain = client.get("/contact/", HTTP_X_FORWARDED_PROTO="http")
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        secure = client.get("/contact/", HTTP_X_FORWARDED_PROTO="https")
        assert secure.status_code == 200
        hsts = secure["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000 and "includeSubDomains" in hsts
        csrf = secure.cookies["csrftoken"]
        assert csrf["secure"] and csrf["samesite"] == "Lax"
        user = make_user("boss", role=CLINIC_ADMIN, is_staff=True)
        client.post(
            "/staff/sign-in/",
            {"username": "boss", "password": "correct horse battery staple"},
            HTTP_X_FORWARDED_PROTO="https",
        )
        session = client.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        del user


def template_files() -> list[Path]:
    files = sorted(TEMPLATES.rglob("*.html"))
    assert len(files) > 30
    return files


def test_no_template_holds_an_inline_script_an_event_handler_or_an_inline_style():
    """Under the CSP such code would not run (or worse, someone would loosen the CSP to let it run)."""
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        where = path.relative_to(TEMPLATES)
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.IGNORECASE):
            if "src=" not in tag:
                problems.append(f"{where}: inline {tag}")
        for handler in re.findall(r"<[^>]*\son[a-z]+\s*=", text, flags=re.IGNORECASE):
            problems.append(f"{where}: event handler in {handler[:60]}")
        if re.search(r"<style\b|\sstyle\s*=", text, flags=re.IGNORECASE):
            problems.append(f"{where}: inline style (the CSP's style-src 'self' blocks it)")
        if re.search(r"javascript:", text, flags=re.IGNORECASE):
            problems.append(f"{where}: a javascript: URL")
    assert not problems, "\n".join(problems)


def test_every_form_that_posts_carries_a_csrf_token():
    problems = []
    for path in template_files():
        text = path.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.IGNORECASE | re.DOTALL):
            if re.search(r"method=[\"']?post", form, flags=re.IGNORECASE) and "{% csrf_token %}" not in form:
                problems.append(f"{path.relative_to(TEMPLATES)}: {form[:80]}")
    assert not problems, "forms that post without {% csrf_token %}:\n" + "\n".join(problems)


def views():
    def walk(resolver: URLResolver, prefix: str = ""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry, prefix + str(entry.pattern))
            else:
                assert isinstance(entry, URLPattern)
                yield prefix + str(entry.pattern), entry

    return list(walk(get_resolver()))


def test_only_the_json_api_is_exempt_from_csrf():
    exempt = {pattern.lookup_str for _, pattern in views() if getattr(pattern.callback, "csrf_exempt", False)}
    assert exempt - CSRF_EXEMPT_OFF_BY_DEFAULT == CSRF_EXEMPT


def test_a_post_without_the_csrf_token_is_refused_everywhere_else():
    world = World()
    strict = Client(enforce_csrf_checks=True)
    paths = [
        "/appointments/new-patient/",
        "/appointments/call/",
        "/contact/",
        "/staff/sign-in/",
        "/check/where/",
    ]
    paths.append(f"/appointments/manage/{notify.manage_token(world.booked)}/")
    problems = [path for path in paths if strict.post(path, {"name": "x"}).status_code != 403]
    sign_in_staff(strict, make_user("boss", role=CLINIC_ADMIN, is_staff=True))
    for url in collect(world):
        if url.area != "api" and strict.post(url.path, {}).status_code != 403:
            problems.append(url.path)
    assert not problems, "posts taken without a CSRF token:\n" + "\n".join(problems)
