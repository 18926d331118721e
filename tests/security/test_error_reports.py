"""Error reports keep the traceback and drop every piece of request data."""

from __future__ import annotations

import secrets
import sys

from django.test import RequestFactory

from painpoint.lib.privacy import PrivateExceptionReporter as ExceptionReporter

# Made at run time, so the test's own source lines (which a report shows) cannot contain it.
MARKER = "canary-" + secrets.token_hex(8)


def report_for(request) -> str:
    def view(patient_reason):  # a frame variable holding what the visitor typed
        raise ValueError("something broke")

    try:
        view(request.POST.get("reason"))
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        return reporter.get_traceback_text() + reporter.get_traceback_html()
    raise AssertionError("the view did not raise")


def test_an_error_report_holds_no_post_data_query_cookie_or_local_variable():
    request = RequestFactory().post(
        f"/appointments/new-patient/?note={MARKER}",
        {"reason": MARKER, "name": MARKER},
        HTTP_COOKIE=f"sessionid={MARKER}",
        HTTP_REFERER=f"https://clinic.example/?q={MARKER}",
    )
    text = report_for(request)
    assert "something broke" in text and "report_for" in text
    assert MARKER not in text
