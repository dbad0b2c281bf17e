"""
Text messages (SMS) and WhatsApp, both ways, behind one provider interface.

Outbound: ``services.message_queue`` writes an ``OutboundMessage`` (once per
idempotency key) in the caller's transaction; after commit a Celery task sends
it through the provider that ``MESSAGING_SEND_WITH`` names for its medium,
retrying with exponential backoff while the provider is unreachable.

Inbound: a provider POSTs each message it receives to
``/messaging/inbound/<provider code>/``. The provider authenticates it (HMAC
over a timestamp and the body; a stale timestamp is refused), the message is
recorded once per provider message id (a re-sent webhook changes nothing), and
a registered router (``routing``) turns it into whatever the recipient number
stands for: a partner shop's order request (``marketplace.retail.by_message``).

The sandbox provider (``providers.sandbox``) behaves like a real one, locally.
"""
