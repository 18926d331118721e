"""Production safety: the site refuses the development secret key and debug mode, and `check --deploy`
passes cleanly when configured properly."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from painpoint.lib.env import env_bool, env_int

GOOD_KEY = "k3y-" + "x7Qp9vL2mN8rT4wY6zA1bC5dE0fG3hJ" * 2
# What a production server's environment would not hold; the test runner sets some of these.
NOT_IN_PRODUCTION = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "PAINPOINT_ENV",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DATABASE_URL",
)


def painpoint(*args: str, tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    clean.update(env, PAINPOINT_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="painpoint.settings")
    return subprocess.run(
        [sys.executable, "-m", "painpoint", *args], env=clean, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_passes_with_no_warnings_when_production_is_configured(tmp_path):
    result = painpoint(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        PAINPOINT_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="clinic.example",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_check_deploy_refuses_the_development_secret_key_in_production(tmp_path):
    result = painpoint(
        "check", "--deploy", tmp_path=tmp_path, PAINPOINT_ENV="production", ALLOWED_HOSTS="x.example"
    )
    assert result.returncode == 1
    assert "painpoint.E001" in result.stderr


def test_check_deploy_refuses_debug_in_production(tmp_path):
    result = painpoint(
        "check",
        "--deploy",
        tmp_path=tmp_path,
        PAINPOINT_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="x.example",
        DEBUG="true",
    )
    assert result.returncode == 1
    assert "painpoint.E002" in result.stderr


@pytest.mark.parametrize(
    ("env", "error"),
    [({"DEBUG": "true", "SECRET_KEY": GOOD_KEY}, "painpoint.E002"), ({}, "painpoint.E001")],
)
def test_the_wsgi_application_refuses_to_start_unsafe_in_production(tmp_path, env, error):
    code = "import painpoint.wsgi"
    clean = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    clean.update(env, PAINPOINT_ENV="production", ALLOWED_HOSTS="x.example", PAINPOINT_DATA_DIR=str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", code], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "Painpoint refuses to start" in result.stderr and error in result.stderr


def test_the_wsgi_application_starts_when_production_is_configured(tmp_path):
    clean = {k: v for k, v in os.environ.items() if k not in NOT_IN_PRODUCTION}
    clean.update(PAINPOINT_ENV="production", SECRET_KEY=GOOD_KEY, ALLOWED_HOSTS="x.example")
    clean["PAINPOINT_DATA_DIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, "-c", "import painpoint.wsgi"], env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_a_bad_environment_value_names_the_variable(monkeypatch):
    monkeypatch.setenv("EMAIL_USE_TLS", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_USE_TLS must be one of"):
        env_bool("EMAIL_USE_TLS", False)
    monkeypatch.setenv("PAINPOINT_WORKERS", "many")
    with pytest.raises(
        ImproperlyConfigured, match=r"PAINPOINT_WORKERS must be a whole number \(got 'many'\)"
    ):
        env_int("PAINPOINT_WORKERS", 2)
