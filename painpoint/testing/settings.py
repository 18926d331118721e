"""Settings for the test suite: the real settings, made fast and quiet."""

from painpoint.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Generated-request tests send thousands of requests from one client; the rate-limit test sets its own.
API_RATE = "0"
BOOKING_RATE = "0"
FORM_RATE = "0"
INTERVIEW_RATE = "0"
SEARCH_RATE = "0"
