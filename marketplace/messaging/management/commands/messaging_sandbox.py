"""
The sandbox provider from the command line: text one of our numbers as a shopper would,
and read what the sandbox's handsets received.

    manage.py messaging_sandbox text --from 08051234567 --to +2348031234500 "ORDER SKU-1 2"
    manage.py messaging_sandbox text --whatsapp --from +2348051234567 --to +2348031234550 "ORDER SKU-1"
    manage.py messaging_sandbox inbox [--to +2348051234567] [--last 10]

``text`` goes through the real path: signed by the sandbox, delivered to the inbound
webhook's service (or POSTed to ``CALLBACK_URL``), with its retries.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from marketplace.messaging.exceptions import UnknownProvider
from marketplace.messaging.models import SandboxMessage
from marketplace.messaging.providers import get_provider
from marketplace.messaging.providers.sandbox import SandboxProvider


class Command(BaseCommand):
    help = "Text a shop through the messaging sandbox, or list what the sandbox delivered."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        text = sub.add_parser("text")
        text.add_argument("--from", dest="sender", required=True)
        text.add_argument("--to", required=True)
        text.add_argument("--whatsapp", action="store_true")
        text.add_argument("body")
        inbox = sub.add_parser("inbox")
        inbox.add_argument("--to", default="")
        inbox.add_argument("--last", type=int, default=10)

    def handle(self, *args, action, **options):
        if action == "inbox":
            messages = SandboxMessage.objects.all()
            if options["to"]:
                messages = messages.filter(to=options["to"])
            for message in messages[: max(1, min(options["last"], 200))]:
                self.stdout.write(f"{message.date_sent:%Y-%m-%d %H:%M} {message.medium:8} "
                                  f"{message.to}: {message.text}")
            return
        try:
            provider = get_provider("sandbox")
        except UnknownProvider as exc:
            raise CommandError("The messaging sandbox is not configured (MESSAGING_PROVIDERS).") from exc
        if not isinstance(provider, SandboxProvider):
            raise CommandError("The provider named sandbox is not the sandbox.")
        with transaction.atomic():
            payload = provider.text_in(
                medium="whatsapp" if options["whatsapp"] else "sms", sender=options["sender"],
                recipient=options["to"], text=options["body"],
            )
        self.stdout.write(f"Sent {payload['message_id']}; replies: messaging_sandbox inbox")
