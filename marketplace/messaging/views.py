"""The providers' inbound webhook, at the root under ``/messaging/`` (outside any channel)."""

import logging

from django.db import OperationalError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from marketplace.payments.views import _read_body

from . import services
from .exceptions import MessagingError, UnknownProvider
from .providers import get_provider

logger = logging.getLogger(__name__)

#: Seconds a provider is asked to wait before re-sending a message we could not take.
RETRY_AFTER = 5


@csrf_exempt
@require_POST
def inbound(request, provider_code):
    """200: taken (or a duplicate); 4xx: refused, nothing written; 503: busy, send again."""
    try:
        provider = get_provider(provider_code)
    except UnknownProvider as exc:
        return JsonResponse({"ok": False, "error": exc.code}, status=exc.http_status)
    body = _read_body(request, provider.max_body_bytes)
    if body is None:
        return JsonResponse({"ok": False, "error": "too_large"}, status=413)
    try:
        _message, created = services.inbound_receive(
            provider_code=provider_code, body=body, headers=request.headers
        )
    except MessagingError as exc:
        logger.warning("Refused %s inbound message: %s %s", provider_code, exc.code, exc)
        return provider.callback_response(error=exc)
    except OperationalError as exc:
        # Rows locked past the wait, a database restarting: nothing was written.
        logger.warning("Could not take %s inbound message now (%s)", provider_code, exc)
        response = JsonResponse({"ok": False, "error": "busy"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    return provider.callback_response(duplicate=not created)
