"""
Requests carrying a NUL character anywhere a view may read text: a 400, before any view.

NUL is never part of a URL, a query or a form field anyone types, and
PostgreSQL refuses it in every text comparison (``DataError``, a 500), so a
view that looks up ``/accounts/alerts/confirm/%00/`` or ``?q=%00`` would fail
inside Oscar's code. Forms already refuse it field by field; this covers the
path, the query string and the form body read as raw values.
"""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        suspicious = "\x00" in request.path_info or _has_nul(
            item for pair in request.GET.lists() for item in (pair[0], *pair[1])
        )
        if not suspicious and request.method == "POST" and request.content_type in _FORMS:
            suspicious = _has_nul(
                item for pair in request.POST.lists() for item in (pair[0], *pair[1])
            )
        if suspicious:
            return HttpResponseBadRequest(
                _("This request contains a character that is not allowed (NUL)."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
