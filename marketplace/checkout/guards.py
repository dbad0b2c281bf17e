"""
Refusals other packages add to a guest's checkout, without this package importing them.

A guard is ``guard(*, request, basket, email) -> str | None``: a message (translated)
refusing to place the order for this guest now, or None. Flash sales register one
(``flashsales.verification``): a basket holding a claim is ordered only under an
e-mail this session has verified. Every checkout that places a guest's order asks
``guest_refusal`` first (the step checkout's preview, the one-page checkout).
"""

GUEST_GUARDS: list = []


def register_guest_guard(guard) -> None:
    if guard not in GUEST_GUARDS:
        GUEST_GUARDS.append(guard)


def guest_refusal(*, request, basket, email: str) -> str | None:
    for guard in GUEST_GUARDS:
        message = guard(request=request, basket=basket, email=email)
        if message is not None:
            return message
    return None
