"""Error pages that work inside and outside a channel."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def page_not_found(request, exception):
    message = ""
    if exception is not None and exception.args and isinstance(exception.args[0], str):
        message = exception.args[0]
    return render(
        request, "404.html",
        {"message": message or _("The page you asked for does not exist.")},
        status=404,
    )



def server_error(request):
    """
    Our 500 page, in the language of the page that failed (the channel middleware's
    language is still active while the exception is turned into a response).

    Rendered from the template alone, without context processors: whatever broke
    (the database, a template tag) must not break the error page too, and nothing
    about the error itself is shown.
    """
    try:
        template = loader.get_template("500.html")
        body = template.render()
    except Exception:  # noqa: BLE001  (the error page of last resort)
        body = "<!DOCTYPE html><title>Server error</title><h1>Server error</h1>"
    return HttpResponseServerError(body)
