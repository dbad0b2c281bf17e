"""Telling the brand's managers and the countries' operators that an exclusive started or ended."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from marketplace.localisation.catalogue import product_title
from marketplace.memberships.models import Membership

from . import messages


def recipients(rule) -> list[str]:
    """E-mail addresses of the store's brand managers and the rule's country operators."""
    members = Membership.objects.filter(brand=rule.store.brand_id) | Membership.objects.filter(
        channel__in=rule.channels.all()
    )
    emails = members.exclude(user__email="").values_list("user__email", flat=True).distinct()
    return sorted(set(emails))


def send_rule_notice(rule, event: str) -> int:
    to = recipients(rule)
    if not to:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        params = {"product": product_title(rule.product), "store": rule.store}
        if event == "started":
            subject = _("Exclusive started: “%(product)s” on %(store)s") % params
        else:
            subject = _("Exclusive ended: “%(product)s” on %(store)s") % params
        lines = [subject, ""]
        for channel in rule.channels.all():
            end = messages.when(rule.ends_at, channel) if rule.ends_at else _("no end date")
            lines.append(
                _("%(channel)s: from %(start)s to %(end)s (%(tz)s)")
                % {"channel": channel.code.upper(), "start": messages.when(rule.starts_at, channel),
                   "end": end, "tz": channel.timezone}
            )
        if rule.reason:
            lines += ["", _("Reason: %(reason)s") % {"reason": rule.reason}]
    return send_mail(subject, "\n".join(lines), None, to)
