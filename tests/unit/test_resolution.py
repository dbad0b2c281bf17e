"""Reading the channel code and language out of a path."""

from marketplace.channels.resolution import language_prefix, split_path

LANGS = {"en", "fr", "ar", "sw"}


def test_channel_home():
    parts = split_path("/ng/", LANGS)
    assert (parts.code, parts.language, parts.rest) == ("ng", None, "")


def test_language_segment_after_the_code():
    parts = split_path("/eg/en/catalogue/", LANGS)
    assert (parts.code, parts.language, parts.rest) == ("eg", "en", "catalogue/")


def test_language_home_page():
    parts = split_path("/ke/sw/", LANGS)
    assert (parts.code, parts.language, parts.rest) == ("ke", "sw", "")


def test_a_path_that_only_looks_like_a_language_is_not_one():
    parts = split_path("/ng/fr", LANGS)
    assert (parts.language, parts.rest) == (None, "fr")


def test_missing_trailing_slash_is_reported():
    assert split_path("/ng", LANGS).has_trailing_slash is False


def test_non_channel_paths():
    assert split_path("/", LANGS) is None
    assert split_path("/admin/", LANGS) is None
    assert split_path("/static/x.css", LANGS) is None


def test_default_language_has_no_prefix():
    assert language_prefix("eg", "ar", "ar") == "/eg/"
    assert language_prefix("eg", "en", "ar") == "/eg/en/"
