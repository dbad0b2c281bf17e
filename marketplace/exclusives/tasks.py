"""Exclusive-listing tasks: take ids, call a service; safe to run twice."""

from celery import shared_task


@shared_task(name="exclusives.sync_exclusive_rules")
def sync_exclusive_rules() -> dict:
    """Run by beat every minute and after every rule write: suspend, restore, notify."""
    from .services import exclusives_sync

    synced = exclusives_sync()
    return {"suspended": synced.suspended, "restored": synced.restored}


# SMTP and socket errors are OSErrors: retry those with backoff.
@shared_task(name="exclusives.send_rule_notice", autoretry_for=(OSError,), retry_backoff=True,
             max_retries=5)
def send_rule_notice(rule_id: int, event: str) -> int:
    from .models import ExclusiveRule
    from .notifications import send_rule_notice as send

    rule = ExclusiveRule.objects.filter(pk=rule_id).select_related("product", "store").first()
    if rule is None:
        return 0
    return send(rule, event)
