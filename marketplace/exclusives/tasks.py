"""
Exclusive-listing tasks: take ids, call a service; safe to run twice.

The services announce their follow-up work with signals (``signals.py``); the
receivers here queue the tasks, so the services never import this module.
"""

from celery import shared_task
from django.dispatch import receiver

from . import signals
from .models import ExclusiveRule
from .notifications import send_rule_notice as send
from .services import exclusives_sync


@shared_task(name="exclusives.sync_exclusive_rules")
def sync_exclusive_rules() -> dict:
    """Run by beat every minute and after every rule write: suspend, restore, notify."""
    synced = exclusives_sync()
    return {"suspended": synced.suspended, "restored": synced.restored}


# SMTP and socket errors are OSErrors: retry those with backoff.
@shared_task(name="exclusives.send_rule_notice", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_rule_notice(rule_id: int, event: str) -> int:
    rule = ExclusiveRule.objects.filter(pk=rule_id).select_related("product", "store").first()
    if rule is None:
        return 0
    return send(rule, event)


@receiver(signals.rules_changed, dispatch_uid="exclusives.sync_after_rule_write")
def _sync_after_rule_write(**kwargs) -> None:
    sync_exclusive_rules.delay()


@receiver(signals.rule_event, dispatch_uid="exclusives.notice_on_rule_event")
def _notice_on_rule_event(*, rule_id: int, event: str, **kwargs) -> None:
    send_rule_notice.delay(rule_id, event)
