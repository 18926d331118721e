"""Keep health information out of error reports.

Django's error reports (the debug page, and the emails sent to ADMINS) show the request's GET and POST data,
its cookies and the local variables of every frame. On this site those can hold a visitor's symptoms, name
or date of birth. This filter hides all of them, whatever the view, so no one has to remember to mark each
form field as sensitive: a report keeps the traceback (files, lines, functions) and the path.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

HIDDEN = "********************"


class PrivateExceptionReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, str]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, HIDDEN)

    def get_traceback_frame_variables(
        self, request: HttpRequest | None, tb_frame: Any
    ) -> list[tuple[str, str]]:
        return [(name, HIDDEN) for name in tb_frame.f_locals]

    def get_safe_request_meta(self, request: HttpRequest) -> dict[str, Any]:
        meta = super().get_safe_request_meta(request)
        for key in ("QUERY_STRING", "HTTP_COOKIE", "HTTP_REFERER", "wsgi.input"):
            if key in meta:
                meta[key] = HIDDEN
        return meta

    def get_safe_cookies(self, request: HttpRequest) -> dict[str, str]:
        return dict.fromkeys(request.COOKIES, HIDDEN)


class PrivateExceptionReporter(ExceptionReporter):
    """The error report without the query string or uploaded file names (the filter hides the rest)."""

    def get_traceback_data(self) -> dict[str, Any]:
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(key, HIDDEN) for key in self.request.GET]
            data["request_FILES_items"] = [(key, HIDDEN) for key in self.request.FILES]
            data["request_insecure_uri"] = self.request.path
        return data
