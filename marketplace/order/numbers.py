"""
Order numbers: the channel's prefix and eight random characters, ``NG-K7Q4M9XR``.

A guest finds an order with its number and e-mail address, so numbers must not
be guessable from another one (a sequence would be). The characters leave out
those read or heard alike (0/O, 1/I/L) and U, so a number can be spelt over the
phone; 30**8 (about 6.6e11) numbers per channel make a collision rare: the order
service draws again when Oscar's order creation finds the number taken.
"""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8


def order_number(channel, length: int = LENGTH) -> str:
    """A fresh random number in ``channel``: not derived from anything a shopper can see.

    ``length``: a number given before its order is written (a flash sale's accepted order)
    has one character more, so it can never be drawn for an order placed meanwhile.
    """
    return f"{channel.code.upper()}-{''.join(secrets.choice(ALPHABET) for _ in range(length))}"

