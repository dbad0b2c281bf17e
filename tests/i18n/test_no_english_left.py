"""
No Arabic or Swahili message "translated" as its English text.

Oscar's Arabic catalogue holds dozens of entries whose msgstr is the English
msgid ("In stock (%d available)"): complete on paper, English on the page. Our
catalogues override those; this keeps any from coming back in ours.
"""

import pytest
from babel.messages.pofile import read_po

from .lookups import looks_untranslated
from .test_catalogues import forms, messages, po_path


@pytest.mark.parametrize("lang", ["ar", "sw"])
def test_no_message_is_left_in_english(lang):
    with open(po_path(lang), "rb") as f:
        catalog = read_po(f)
    left = [
        message.id for message in messages(catalog)
        if isinstance(message.id, str) and looks_untranslated(lang, message.id, forms(message)[0])
    ]
    assert not left, f"locale/{lang}: msgstr is the English msgid:\n  " + "\n  ".join(map(repr, left))


@pytest.mark.parametrize(
    ("language", "msgid", "result", "expected"),
    [
        ("ar", "In stock (%d available)", "In stock (%d available)", True),
        ("sw", "<strong>%(title)s</strong> has been added.", "<strong>%(title)s</strong> has been added.", True),
        ("ar", "In stock (%d available)", "متوفر (%d قطعة متاحة)", False),
        ("ar", "UPC", "UPC", False),
        ("sw", "%(country)s · %(currency)s", "%(country)s · %(currency)s", False),
        ("fr", "Total", "Total", False),  # French shares words with English
    ],
)
def test_what_counts_as_left_in_english(language, msgid, result, expected):
    assert looks_untranslated(language, msgid, result) is expected
