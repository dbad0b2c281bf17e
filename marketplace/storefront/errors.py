"""Error pages that work inside and outside a channel."""

from django.shortcuts import render
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

