"""Painpoint settings, read from the environment.

The defaults make a fresh clone work with no setup: SQLite in the git-ignored ``data/`` folder, console email
and debug on. Production sets ``PAINPOINT_ENV=production`` (or ``DEBUG=false``) and real values; the system
checks in ``painpoint.clinics.checks`` then refuse the development secret key and debug mode.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url

from painpoint.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
REPO_DIR = BASE_DIR.parent
DATA_DIR = Path(env_str("PAINPOINT_DATA_DIR", str(REPO_DIR / "data")))
CONTENT_DIR = Path(env_str("PAINPOINT_CONTENT_DIR", str(REPO_DIR / "content")))

PRODUCTION = env_str("PAINPOINT_ENV", "development") == "production"

# Known, public and therefore useless outside development: painpoint.E001 refuses it in production.
DEV_SECRET_KEY = "painpoint-development-key-not-for-production"
SECRET_KEY = env_str("SECRET_KEY", DEV_SECRET_KEY)
DEBUG = env_bool("DEBUG", not PRODUCTION)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The canonical origin used in sitemaps, canonical links and Open Graph tags, e.g. https://clinic.example.
SITE_URL = env_str("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "painpoint.clinics",
    "painpoint.knowledge",
    "painpoint.assessment",
    "painpoint.booking",
    "painpoint.outbox",
    "painpoint.inbox",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "painpoint.lib.middleware.CompressPublicPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "painpoint.inbox.access.StaffGate",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "painpoint.lib.middleware.security_headers",
]

ROOT_URLCONF = "painpoint.urls"
WSGI_APPLICATION = "painpoint.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "painpoint.clinics.context_processors.clinic",
            ],
        },
    }
]

# SQLite in data/ by default. Django 5.1+ takes transaction_mode so that every atomic() block takes the
# write lock when it begins (BEGIN IMMEDIATE) instead of failing with "database is locked" halfway through.
DATA_DIR.mkdir(parents=True, exist_ok=True)
_default_db = f"sqlite:///{DATA_DIR / 'painpoint.sqlite3'}"
# An empty DATABASE_URL (as `DATABASE_URL= scripts/test` leaves it) means the default, as an unset one does.
DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL") or _default_db, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers carry on while one process writes; it is stored in the file, so setting it on each
    # (persistent) connection costs nothing after the first.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing folder
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = not PRODUCTION

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Painpoint <noreply@localhost>")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security. HTTPS settings follow production mode so that `check --deploy` passes there and local
# http://127.0.0.1:8000 keeps working.
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", PRODUCTION) else None
)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Nothing on a page may come from another origin (no fonts, scripts or trackers from elsewhere).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)

# Logs carry paths, counts and error classes, never request data: paths hold no health information, error
# reports hide every parameter, cookie and local variable (painpoint/lib/privacy.py), and the outbox logs no
# addresses or subjects.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
DEFAULT_EXCEPTION_REPORTER_FILTER = "painpoint.lib.privacy.PrivateExceptionReporterFilter"
DEFAULT_EXCEPTION_REPORTER = "painpoint.lib.privacy.PrivateExceptionReporter"

# Requests per client and server process to POST /api/v1/assessments, e.g. "60/m"; "0" turns the limit off.
API_RATE = env_str("PAINPOINT_API_RATE", "60/m")
# Staff are signed out after this long without a request (their pages hold health information).
STAFF_IDLE_SECONDS = env_int("PAINPOINT_STAFF_IDLE_MINUTES", 15, minimum=1) * 60
# Bookings and requests per client: a person books a few; a script trying names or filling slots is stopped.
BOOKING_RATE = env_str("PAINPOINT_BOOKING_RATE", "10/m")
# Posts of the public forms (booking, call, contact, changing a visit) per client.
FORM_RATE = env_str("PAINPOINT_FORM_RATE", "20/h")
# The interview's steps (seven posts an interview, stored nowhere) and the site search, per client.
INTERVIEW_RATE = env_str("PAINPOINT_INTERVIEW_RATE", "300/h")
SEARCH_RATE = env_str("PAINPOINT_SEARCH_RATE", "60/m")
# The guard against double booking (docs/locking.md). Only the race test's control run switches it off, to
# show that the race is real; a production site refuses to start without it (painpoint.E004).
BOOKING_GUARD = not env_bool("PAINPOINT_TEST_ONLY_NO_BOOKING_GUARD", False)

SERVE_WORKERS = env_int("PAINPOINT_WORKERS", 2, minimum=1)
# Mount the bare baseline views that bench/ scripts compare against (never needed in production).
BENCH_VIEWS = env_bool("PAINPOINT_BENCH_VIEWS", False)
