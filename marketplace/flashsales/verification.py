"""
A guest's e-mail address, verified before a flash-sale order counts against it.

The per-shopper limit counts a guest's orders by their e-mail (``conversion``): an
address anyone may type is no limit at all, so on the short checkout a guest proves
the address is theirs first. The first POST with a valid form places nothing: a
6-digit one-time code is e-mailed (in the shopper's language) and the page asks for
it; the POST that carries the right code marks the address verified in the session
and places the order in the same request. Signed-in shoppers are counted by their
account and skip it. The order's e-mail is the form's, and only a verified one gets
past: verifying ``a@x`` never lets the session order as ``b@y``.

Codes are random (``secrets``), kept only as an HMAC in the shared cache (Redis, or
the demo's file or memory cache) for ``CODE_SECONDS``; every attempt counts (one
atomic increment before any comparison, so parallel guesses cannot pass the bound),
at most ``MAX_TRIES`` per code, then a new code is needed; a new code waits
``RESEND_SECONDS`` after the last one and at most ``SENDS_PER_HOUR`` go to one
address an hour, and at most ``SENDS_PER_CLAIM`` for one claim whatever the addresses. The
rules are pure functions; ``code_send`` and ``code_check`` are
the service; ``guard`` is the short checkout's hook on its POST, ``code_for_page`` the
code asked for from the page by its script (the shopper stays on the page and one POST
with the code places the order: a round trip and a page fewer on a mobile network), and
``unverified_guest_refusal`` the regular checkout's (a guest's basket holding a claim
is not ordered there under an e-mail this session has not verified).

Only e-mail for now: the shopper's phone (E.164, ``messaging.phones``) could be a
contact the same way, its code sent through ``messaging.services.message_queue``.
"""

import hashlib
import hmac
import logging
import math
import re
import secrets
import time
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

CODE_DIGITS = 6
CODE_SECONDS = 10 * 60
MAX_TRIES = 5
RESEND_SECONDS = 30
SENDS_PER_HOUR = 5
# Codes one claim may have sent, to any addresses: its button is no way to mail strangers (each
# address's own limits hold too; a claim holds a unit of the sale for minutes).
SENDS_PER_CLAIM = 5
SESSION_KEY = "flash_verified_contacts"
KEEP_IN_SESSION = 5  # a few addresses per session (a shared family tablet), not a list that grows
CODE_FIELD = "code"
RESEND_FIELD = "resend"

_CODE = re.compile(rf"[0-9]{{{CODE_DIGITS}}}", re.ASCII)

CODE_SENT = _("We sent a 6-digit code to %(contact)s. Enter it below to confirm your e-mail address: "
              "your order is placed as soon as you confirm.")
CODE_NEEDED = _("Enter the 6-digit code we sent to %(contact)s to confirm your e-mail address.")
CODE_MALFORMED = _("The code is the 6 digits (0 to 9) from the e-mail we sent you.")
CODE_LOCKED = _("Too many wrong codes. Ask for a new code.")
CODE_EXPIRED = _("This code has expired or was not sent to this address. Ask for a new code.")
CODE_NOT_SENT = _("We could not send the code just now. Please try again in a minute.")
SENT_TOO_OFTEN = _("Too many codes were sent to this address. Please try again in an hour.")
SENT_TOO_OFTEN_FOR_CLAIM = _("Too many codes were sent for this flash-sale claim. Enter one of the codes "
                             "you received.")
ON_SHORT_CHECKOUT = _("Flash-sale items are ordered on their one-page checkout, which confirms your e-mail "
                      "address first. Please place this order from your flash-sale checkout.")
CODE_ASK = _("We e-mail you a 6-digit code to confirm your address: ask for it, then enter it below.")
NO_CODE_NEEDED = _("You are signed in: your account confirms who you are, no code is needed.")
ALREADY_VERIFIED = _("This e-mail address is confirmed already.")
CODE_LABEL = _("Code from the e-mail")
CODE_HELP = _("6 digits, valid for 10 minutes.")


def code_wrong(left: int) -> str:
    return ngettext(
        "This code is not right. You can try %(count)d more time.",
        "This code is not right. You can try %(count)d more times.", left,
    ) % {"count": left}


def wait_before_resend(seconds: int) -> str:
    return ngettext(
        "Please wait %(seconds)d second before asking for another code.",
        "Please wait %(seconds)d seconds before asking for another code.", seconds,
    ) % {"seconds": seconds}


# Rules: pure functions ----------------------------------------------------------


def normalise_email(text: str) -> str:
    """The one spelling an address is counted under (the form's ``clean_email`` does the same)."""
    return text.strip().lower()


def code_shape_ok(text) -> bool:
    """Exactly six ASCII digits: never Arabic-Indic or other Unicode digits, NUL or a megabyte."""
    return isinstance(text, str) and len(text) == CODE_DIGITS and _CODE.fullmatch(text) is not None


def mask_email(email: str) -> str:
    """``a…@example.com``: enough for the shopper to recognise, not enough to read an address off a screen."""
    local, _at, domain = email.rpartition("@")
    if not local:
        return "…"
    return f"{local[0]}…@{domain}"


def digest(*, contact: str, code: str, secret: str) -> str:
    """What the cache keeps instead of the code: an HMAC, so a cache dump reveals no code."""
    return hmac.new(secret.encode(), f"{contact}\x00{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"


# Service: send and check ------------------------------------------------------


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str = ""
    status: int = 200
    retry_after: int | None = None


def _now() -> float:
    return time.time()


def _claim_key(claim: str) -> str:
    return f"flashsales:otp:claim:{hashlib.sha256(claim.encode()).hexdigest()[:32]}"


def _count(key: str, seconds: int) -> int:
    """One more in the counter ``key`` (the shared cache, atomic), made for ``seconds``; the count."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # culled between the two calls
        cache.set(key, 1, seconds)
        return 1


def _keys(contact: str) -> dict[str, str]:
    # Hashed: the cache key names no address (and is short whatever was typed).
    name = hashlib.sha256(contact.encode()).hexdigest()[:32]
    return {part: f"flashsales:otp:{part}:{name}" for part in ("code", "tries", "wait", "hour")}


def code_send(*, contact: str, language: str, claim: str) -> Result:
    """A new code for ``contact``, e-mailed in ``language``, asked for on ``claim``'s checkout
    (its token); refused while the resend limits hold."""
    keys, now = _keys(contact), _now()
    if ((cache.get(_claim_key(claim)) or 0) >= SENDS_PER_CLAIM
            and (cache.get(keys["hour"]) or 0) < SENDS_PER_HOUR):
        # Refused before the address's own wait and hourly count are touched: a claim past its
        # cap must not keep a stranger's address from its codes. (An address at its own limit
        # hears that limit below, as before; the counts below are the atomic bounds for parallel
        # sends, this read spares the address in every other case.)
        return Result(False, str(SENT_TOO_OFTEN_FOR_CLAIM), 429, 3600)
    if not cache.add(keys["wait"], now, RESEND_SECONDS):
        # The last code's moment, by our clock (the entry's own expiry is only its cleanup).
        since = cache.get(keys["wait"])
        waited = now - since if isinstance(since, float) else 0.0
        if waited < RESEND_SECONDS:
            left = min(max(math.ceil(RESEND_SECONDS - waited), 1), RESEND_SECONDS)
            return Result(False, wait_before_resend(left), 429, left)
        cache.set(keys["wait"], now, RESEND_SECONDS)
    if _count(keys["hour"], 3600) > SENDS_PER_HOUR:
        return Result(False, str(SENT_TOO_OFTEN), 429, 3600)
    if _count(_claim_key(claim), 3600) > SENDS_PER_CLAIM:
        return Result(False, str(SENT_TOO_OFTEN_FOR_CLAIM), 429, 3600)
    code = new_code()
    cache.set_many({
        keys["code"]: {"digest": digest(contact=contact, code=code, secret=settings.SECRET_KEY),
                       "expires": now + CODE_SECONDS},
        keys["tries"]: 0,
    }, CODE_SECONDS)
    from .tasks import contact_code_queue

    try:
        contact_code_queue(contact, code, language)
    except Exception as error:  # noqa: BLE001  (the broker is down: say so, never a 500)
        logger.error("flash-sale contact code not queued: %s", error)
        cache.delete_many([keys["code"], keys["wait"]])
        return Result(False, str(CODE_NOT_SENT), 503, 60)
    return Result(True, CODE_SENT % {"contact": mask_email(contact)})


def code_check(*, contact: str, code: str) -> Result:
    """Is ``code`` the one sent to ``contact``? Every attempt counts, the right one too."""
    if not code_shape_ok(code):
        return Result(False, str(CODE_MALFORMED), 400)
    keys = _keys(contact)
    record = cache.get(keys["code"])
    if not isinstance(record, dict) or record.get("expires", 0) <= _now():
        return Result(False, str(CODE_EXPIRED), 400)
    try:
        tries = cache.incr(keys["tries"])
    except ValueError:  # the counter was culled: treat the code as spent
        return Result(False, str(CODE_EXPIRED), 400)
    if tries > MAX_TRIES:
        return Result(False, str(CODE_LOCKED), 400)
    expected = digest(contact=contact, code=code, secret=settings.SECRET_KEY)
    if not hmac.compare_digest(record.get("digest", ""), expected):
        left = MAX_TRIES - tries
        return Result(False, code_wrong(left) if left else str(CODE_LOCKED), 400)
    cache.delete_many([keys["code"], keys["tries"]])  # one use
    return Result(True)


def code_email_send(*, email: str, code: str, language: str) -> None:
    """The e-mail carrying the code, in the shopper's language (the mail backend the settings name)."""
    with translation.override(language):
        subject = _("Your flash-sale order code: %(code)s") % {"code": code}
        body = "\n\n".join([
            str(_("Enter this code on the order page to confirm your e-mail address: %(code)s")
                % {"code": code}),
            ngettext("It is valid for %(minutes)d minute.", "It is valid for %(minutes)d minutes.",
                     CODE_SECONDS // 60) % {"minutes": CODE_SECONDS // 60},
            str(_("If you did not ask for it, ignore this e-mail: nothing is ordered without the code.")),
        ])
    send_mail(str(subject), body, None, [email])


def is_verified(session, contact: str) -> bool:
    return contact in session.get(SESSION_KEY, [])


def mark_verified(session, contact: str) -> None:
    kept = [known for known in session.get(SESSION_KEY, []) if known != contact]
    session[SESSION_KEY] = [*kept, contact][-KEEP_IN_SESSION:]


def _pending(contact: str) -> bool:
    record = cache.get(_keys(contact)["code"])
    return isinstance(record, dict) and record.get("expires", 0) > _now()


# The short checkout's hooks ------------------------------------------------------


def add_code_field(form) -> None:
    """The code field, on the page from the start (a guest can ask for the code while filling it in)."""
    form.fields[CODE_FIELD] = forms.CharField(
        label=CODE_LABEL, help_text=CODE_HELP, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "maxlength": str(CODE_DIGITS), "pattern": "[0-9]*"}),
    )


class ContactForm(forms.Form):
    """The page's e-mail field on its own: the code asked for from the page (``views.send_code``)."""

    email = forms.EmailField(max_length=254)

    def clean_email(self):
        return normalise_email(self.cleaned_data["email"])


def _language(request) -> str:
    """The code's e-mail goes out in the page's language."""
    return getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE


def code_for_page(*, request, claim: str) -> Result:
    """A code for the e-mail the page's field holds, asked for without leaving the page.

    The same code, limits and messages as the form's first POST (``guard``), for a script
    on the page: the shopper goes on filling in the address while the e-mail comes, and
    one POST then carries the code and places the order.
    """
    if request.user.is_authenticated:
        return Result(False, str(NO_CODE_NEEDED), 400)
    form = ContactForm({"email": request.POST.get("email", "")})
    if not form.is_valid():
        return Result(False, " ".join(str(error) for error in form.errors["email"]), 400)
    contact = form.cleaned_data["email"]
    if is_verified(request.session, contact):
        return Result(True, str(ALREADY_VERIFIED))
    return code_send(contact=contact, language=_language(request), claim=claim)


def guard(*, request, form, claim: str) -> Result:
    """May this valid short-checkout form place its order? ``ok``, or the answer to show.

    A guest's e-mail must be verified in this session; otherwise the form gains a
    code field (``form.verification`` is the notice above it) and nothing is placed.
    """
    if request.user.is_authenticated or "email" not in form.cleaned_data:
        return Result(True)
    contact = normalise_email(form.cleaned_data["email"])
    session = request.session
    if is_verified(session, contact):
        return Result(True)
    add_code_field(form)
    posted = request.POST.get(CODE_FIELD, "")
    language = _language(request)
    if request.POST.get(RESEND_FIELD) or (not posted and not _pending(contact)):
        result = code_send(contact=contact, language=language, claim=claim)
    elif not posted:
        result = Result(False, CODE_NEEDED % {"contact": mask_email(contact)}, 400)
    else:
        result = code_check(contact=contact, code=posted)
        if result.ok:
            mark_verified(session, contact)
            return result
    form.verification = result.message if result.status == 200 else CODE_NEEDED % {"contact": mask_email(contact)}
    if result.status != 200:
        form.add_error(CODE_FIELD, result.message)
    return Result(False, result.message, result.status, result.retry_after)


def unverified_guest_refusal(*, request, basket, email: str) -> str | None:
    """The regular checkout's hook: a guest's basket holding a flash-sale claim places its order
    only with an e-mail verified in this session (else the code would be skipped there)."""
    if request.user.is_authenticated:
        return None
    from .admission import LINE_PREFIX

    if not any((line.line_reference or "").startswith(LINE_PREFIX) for line in basket.all_lines()):
        return None
    if is_verified(request.session, normalise_email(email or "")):
        return None
    return str(ON_SHORT_CHECKOUT)
