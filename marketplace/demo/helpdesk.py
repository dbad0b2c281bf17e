"""Demo customer service: a help desk per channel and a customer-service agent in Kenya and Nigeria."""

from datetime import time

from django.contrib.auth import get_user_model

from marketplace.helpdesk.models import HelpDesk, HelpDeskTranslation
from marketplace.memberships.models import Membership
from marketplace.memberships.services import membership_grant

# channel: (phone, WhatsApp, e-mail, {language: days}, opens, closes, return window in days)
DESKS = {
    "NG": ("+234 1 888 0000", "+234 809 000 1111", "help.ng@example.com",
           {"en": "Monday to Saturday"}, time(8), time(20), 7),
    "EG": ("+20 2 1600 0000", "+20 100 000 1111", "help.eg@example.com",
           {"en": "Saturday to Thursday", "ar": "من السبت إلى الخميس"}, time(9), time(21), 14),
    "KE": ("+254 20 765 0000", "+254 711 000 111", "help.ke@example.com",
           {"en": "Monday to Saturday", "sw": "Jumatatu hadi Jumamosi"}, time(8), time(19), 7),
    "CI": ("+225 27 20 00 00 00", "+225 07 00 00 11 11", "aide.ci@example.com",
           {"en": "Monday to Saturday", "fr": "Du lundi au samedi"}, time(8), time(18), 7),
    "MA": ("+212 5 22 00 00 00", "+212 6 00 00 11 11", "aide.ma@example.com",
           {"en": "Monday to Saturday", "fr": "Du lundi au samedi", "ar": "من الاثنين إلى السبت"},
           time(9), time(19), 7),
    "GH": ("+233 30 200 0000", "+233 24 000 1111", "help.gh@example.com",
           {"en": "Monday to Saturday"}, time(8), time(18), 7),
}
AGENTS = {"ke.agent": "KE", "ng.agent": "NG"}


def seed_helpdesk(channels, password: str) -> None:
    for code, (phone, whatsapp, email, days, opens, closes, return_days) in DESKS.items():
        channel = channels[code]
        desk, _ = HelpDesk.objects.update_or_create(channel=channel, defaults={
            "phone": phone, "whatsapp": whatsapp, "email": email, "days": days["en"],
            "opens_at": opens, "closes_at": closes, "return_days": return_days,
        })
        for language, text in days.items():
            if language != "en":
                HelpDeskTranslation.objects.update_or_create(parent=desk, language=language,
                                                             defaults={"days": text})
    User = get_user_model()
    for username, code in AGENTS.items():
        user, _ = User.objects.update_or_create(
            username=username, defaults={"email": f"{username}@example.com", "is_staff": True, "is_active": True},
        )
        user.set_password(password)
        user.save()
        membership_grant(user=user, channel=channels[code], kind=Membership.AGENT)
