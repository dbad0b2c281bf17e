"""
English pages say "basket", as the rest of the marketplace does, not Oscar's American "cart".

Python's gettext expands "en" to "en_US", so Oscar's en_US catalogue (Cart,
Coupons, ...) answers for English unless locale/en gives its msgids back.
"""

import gettext
from pathlib import Path

import oscar
import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from .test_catalogues import LOCALE_DIR, forms, key, messages

OSCAR_EN_US = Path(oscar.__file__).parent / "locale" / "en_US" / "LC_MESSAGES" / "django.po"
EN = LOCALE_DIR / "en" / "LC_MESSAGES"


def load(path):
    with open(path, "rb") as f:
        return read_po(f)


def test_every_american_oscar_message_is_given_back_in_our_english():
    ours = {key(m): m for m in messages(load(EN / "django.po"))}
    missing = []
    for message in messages(load(OSCAR_EN_US)):
        ids = (message.id,) if isinstance(message.id, str) else tuple(message.id)
        strings = forms(message)
        if not any(strings) or all(s == i for s, i in zip(strings, ids, strict=False)):
            continue
        mine = ours.get(key(message))
        if mine is None or forms(mine)[: len(ids)] != ids:
            missing.append(ids[0])
    assert not missing, "Oscar's en_US wording would show on English pages:\n  " + "\n  ".join(missing)


def test_the_compiled_english_catalogue_is_current():
    with open(EN / "django.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for message in messages(load(EN / "django.po")):
        if isinstance(message.id, str) and not message.context:
            assert compiled.gettext(message.id) == message.string


@pytest.mark.parametrize(("msgid", "expected"), [("Basket", "Basket"), ("Add to basket", "Add to basket"),
                                                 ("Vouchers", "Vouchers")])
def test_english_says_basket(msgid, expected):
    with translation.override("en"):
        assert translation.gettext(msgid) == expected
