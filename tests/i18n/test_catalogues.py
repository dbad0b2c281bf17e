"""
The fr, ar and sw catalogues are complete, current and compiled, and the
templates mark their text for translation.

- every message of ``locale/<lang>/LC_MESSAGES/django.po`` is translated, in
  every plural form, keeps the placeholders of its msgid, and nothing is fuzzy;
- ``makemessages`` run on a copy of the code finds no msgid the committed
  catalogue lacks (a string added without updating the catalogues);
- the committed ``.mo`` files say what the ``.po`` files say, are not ignored
  by git (a fresh clone must have them), and Django serves them;
- no template shows literal text outside ``{% trans %}`` / ``{% blocktrans %}``.

Refresh the catalogues with ``make messages``, translate what it adds, then
``make compilemessages``.
"""

import gettext
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType
from django.utils import translation

REPO = Path(__file__).resolve().parents[2]
LOCALE_DIR = REPO / "locale"
LANGUAGES = ("fr", "ar", "sw")
# What the extraction test copies; the same code `make messages` reads.
EXTRACTED_TREES = ("marketplace", "templates")
GETTEXT_TOOLS = ("xgettext", "msguniq", "msgmerge", "msgattrib")
FIX_HINT = (
    "Run `make messages`, translate what it added in locale/<lang>/LC_MESSAGES/django.po "
    "(no empty or fuzzy entries), then `make compilemessages` and commit locale/."
)


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def mo_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"


def load_po(path: Path):
    with open(path, "rb") as f:
        return read_po(f)


def messages(catalog):
    """The catalogue's messages, header left out."""
    return [m for m in catalog if m.id]


def describe(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
    ctx = f" (context {message.context!r})" if message.context else ""
    return f"{msgid!r}{ctx}" + (f" [{where}]" if where else "")


def forms(message) -> tuple[str, ...]:
    return tuple(message.string) if isinstance(message.string, (list, tuple)) else (message.string,)


def key(message):
    return (message.context, message.id if isinstance(message.id, str) else tuple(message.id))


PLACEHOLDER_RE = re.compile(r"%\(([^)]+)\)")


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER_RE.findall(text or ""))


def one_number_forms(catalog) -> set[int]:
    """Plural forms that only one number ever uses (Arabic 'one', 'two')."""
    plural = gettext.c2py(catalog.plural_expr)
    seen: dict[int, set[int]] = {}
    for n in range(1000):
        seen.setdefault(plural(n), set()).add(n)
    return {index for index, numbers in seen.items() if len(numbers) == 1}


def sample_numbers(plural_expr: str, num_plurals: int) -> dict[int, int]:
    """A number that selects each plural form."""
    plural = gettext.c2py(plural_expr)
    samples: dict[int, int] = {}
    for n in range(1000):
        samples.setdefault(plural(n), n)
    assert set(samples) == set(range(num_plurals)), (
        f"Plural-Forms {plural_expr!r} does not reach all {num_plurals} forms"
    )
    return samples


# --- a) complete, nothing fuzzy ------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_exists_with_plural_forms(lang):
    assert po_path(lang).is_file(), f"{po_path(lang)} is missing. {FIX_HINT}"
    catalog = load_po(po_path(lang))
    header = dict(catalog.mime_headers)
    assert "Plural-Forms" in header, f"{po_path(lang)} has no Plural-Forms header"
    assert messages(catalog), f"{po_path(lang)} has no messages"
    if lang == "ar":
        assert catalog.num_plurals == 6, "Arabic has six plural forms"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_is_fully_translated_and_not_fuzzy(lang):
    path = po_path(lang)
    catalog = load_po(path)
    problems = []
    if catalog.fuzzy:
        problems.append("the header is marked fuzzy")
    for message in messages(catalog):
        if message.fuzzy:
            problems.append(f"fuzzy: {describe(message)}")
        strings = forms(message)
        if isinstance(message.id, tuple) and len(strings) != catalog.num_plurals:
            problems.append(
                f"{len(strings)} plural forms instead of {catalog.num_plurals}: {describe(message)}"
            )
        empty = [i for i, s in enumerate(strings) if not (s or "").strip()]
        if empty:
            which = f" (msgstr{empty})" if isinstance(message.id, tuple) else ""
            problems.append(f"untranslated{which}: {describe(message)}")
    # Babel keeps a fuzzy flag only where it understands it; the raw file must have none.
    raw = path.read_text(encoding="utf-8")
    for lineno, line in enumerate(raw.splitlines(), 1):
        if line.startswith("#,") and "fuzzy" in line:
            problems.append(f"{path.name}:{lineno}: fuzzy flag")
    assert not problems, f"locale/{lang} catalogue:\n  " + "\n  ".join(problems) + f"\n{FIX_HINT}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    catalog = load_po(po_path(lang))
    single_number = one_number_forms(catalog)
    problems = []
    for message in messages(catalog):
        if isinstance(message.id, tuple):
            expected = placeholders(message.id[0]) | placeholders(message.id[1])
            for index, text in enumerate(forms(message)):
                found = placeholders(text)
                # A form used for one number only may spell the number out.
                required = set() if index in single_number else expected
                if not (required <= found <= expected):
                    problems.append(f"msgstr[{index}] has {sorted(found)}, "
                                    f"expected {sorted(expected)}: {describe(message)}")
        else:
            expected, found = placeholders(message.id), placeholders(message.string)
            if found != expected:
                problems.append(f"has {sorted(found)}, expected {sorted(expected)}: "
                                f"{describe(message)}")
    assert not problems, f"locale/{lang} placeholders:\n  " + "\n  ".join(problems)


# --- b) the catalogues hold every string of the code -------------------------------


def test_catalogues_hold_every_extracted_string(tmp_path):
    missing_tools = [tool for tool in GETTEXT_TOOLS if shutil.which(tool) is None]
    if missing_tools:
        pytest.fail(
            f"GNU gettext is not installed ({', '.join(missing_tools)} not on PATH); "
            "the extraction check needs it. Install gettext (apt-get install gettext, "
            "brew install gettext)."
        )
    for tree in EXTRACTED_TREES:
        shutil.copytree(
            REPO / tree, tmp_path / tree,
            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo"),
        )
    shutil.copy2(REPO / "manage.py", tmp_path / "manage.py")
    shutil.copytree(LOCALE_DIR, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "PYTHONPATH": str(tmp_path),
    }

    # Never let makemessages write into the real catalogues: the copy's
    # settings must point LOCALE_PATHS into the copy.
    probe = subprocess.run(
        [sys.executable, "-c",
         "import django; from django.conf import settings; django.setup(); "
         "print(*settings.LOCALE_PATHS, sep='\\n')"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120,
    )
    assert probe.returncode == 0, probe.stderr
    locale_paths = [Path(p).resolve() for p in probe.stdout.splitlines() if p.strip()]
    assert locale_paths and all(tmp_path.resolve() in p.parents for p in locale_paths), (
        f"the copied settings use LOCALE_PATHS {locale_paths}, outside {tmp_path}"
    )

    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "fr", "--no-obsolete",
         "--ignore", ".venv/*", "--ignore", "var/*"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"makemessages failed:\n{result.stdout}\n{result.stderr}"

    extracted_po = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po"
    extracted = {key(m): m for m in messages(load_po(extracted_po))}
    assert extracted, "makemessages extracted nothing; is the copy complete?"
    missing = []
    for lang in LANGUAGES:
        committed = {key(m) for m in messages(load_po(po_path(lang)))}
        missing += [f"{lang}: {describe(m)}" for k, m in extracted.items() if k not in committed]
    assert not missing, (
        f"{len(missing)} translatable string(s) of the code missing from the catalogues:\n  "
        + "\n  ".join(missing) + f"\n{FIX_HINT}"
    )


# --- c) the compiled catalogues are current and shipped ---------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_po(lang):
    path = mo_path(lang)
    assert path.is_file(), f"{path} is missing; run `make compilemessages` and commit it."
    catalog = load_po(po_path(lang))
    with open(path, "rb") as f:
        compiled = gettext.GNUTranslations(f)
    samples = sample_numbers(catalog.plural_expr, catalog.num_plurals)
    stale = []
    for message in messages(catalog):
        if message.fuzzy or not all(forms(message)):
            continue  # not compiled; test_catalogue_is_fully_translated_and_not_fuzzy says so
        if isinstance(message.id, tuple):
            singular, plural = message.id
            for index, text in enumerate(forms(message)):
                n = samples[index]
                got = (compiled.npgettext(message.context, singular, plural, n)
                       if message.context else compiled.ngettext(singular, plural, n))
                if got != text:
                    stale.append(f"{describe(message)} n={n}: .mo has {got!r}, .po has {text!r}")
        else:
            got = (compiled.pgettext(message.context, message.id)
                   if message.context else compiled.gettext(message.id))
            if got != message.string:
                stale.append(f"{describe(message)}: .mo has {got!r}, .po has {message.string!r}")
    assert not stale, (
        f"{path} is out of date with its .po; run `make compilemessages`:\n  "
        + "\n  ".join(stale)
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_is_not_git_ignored(lang):
    """`make run` on a fresh clone needs the .mo files in the repository."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(
        ["git", "check-ignore", "--quiet", "--no-index", str(mo_path(lang))],
        cwd=REPO, capture_output=True, text=True,
    )
    if result.returncode == 128:
        pytest.skip(f"not a git checkout: {result.stderr.strip()}")
    assert result.returncode == 1, f"{mo_path(lang)} is ignored by git; it must be committed."


@pytest.mark.parametrize("lang", LANGUAGES)
def test_django_serves_our_translations(lang):
    """Our catalogue wins over Oscar's and Django's for the same msgids."""
    catalog = load_po(po_path(lang))
    samples = sample_numbers(catalog.plural_expr, catalog.num_plurals)
    wrong = []
    with translation.override(lang):
        for message in messages(catalog):
            if isinstance(message.id, tuple):
                for index, text in enumerate(forms(message)):
                    n = samples[index]
                    got = (translation.npgettext(message.context, *message.id, n)
                           if message.context else translation.ngettext(*message.id, n))
                    if got != text:
                        wrong.append(f"{describe(message)} n={n}: {got!r} != {text!r}")
            else:
                got = (translation.pgettext(message.context, message.id)
                       if message.context else translation.gettext(message.id))
                if got != message.string:
                    wrong.append(f"{describe(message)}: {got!r} != {message.string!r}")
    assert not wrong, f"Django does not serve locale/{lang}:\n  " + "\n  ".join(wrong)


# --- d) templates mark their text for translation ----------------------------------
#
# Each template is read as HTML with its tags and variables blanked out and its
# {% blocktrans %} / {% comment %} blocks removed; any text node (or text
# attribute) still holding a letter is literal, untranslated text. A template
# that extends another is checked block by block: a block counts as visible
# text only where its parent puts it in the page's text (not in a <script>, an
# attribute or the <head> markup), which is found by reading the parent chain.

TEMPLATE_DIRS = [REPO / "templates", *sorted((REPO / "marketplace").glob("**/templates"))]
TEMPLATES = sorted({p for d in TEMPLATE_DIRS if d.is_dir() for p in d.rglob("*.html")})
# Stands in for a template tag or variable: not a letter, so never flagged.
TAG = "\ue000"
# Marks where a {% block %} opens, to learn in which HTML context it sits.
BLOCK_MARK = "\ue001"
BLOCK_MARK_BASE = 0xE100
# Blocks whose content is translated, or never shown as written.
SKIPPED_BLOCKS = {
    "blocktrans": {"endblocktrans"},
    "blocktranslate": {"endblocktranslate"},
    "comment": {"endcomment"},
    "verbatim": {"endverbatim"},
}
# Attributes a shopper reads (or hears, with a screen reader).
TEXT_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "aria-placeholder"}
BUTTON_INPUT_TYPES = {"submit", "button", "reset"}
TEXT, HIDDEN = "text", "hidden"


def _has_words(text: str) -> bool:
    return any(ch.isalpha() for ch in text)


def _shown(text: str) -> str:
    text = re.sub(f"{BLOCK_MARK}.", TAG, text, flags=re.S)
    text = re.sub(f"[{TAG}\\s]*{TAG}[{TAG}\\s]*", f" {TAG} ", text)
    return " ".join(text.split()).strip(f" {TAG}").replace(TAG, "…")


class _TextFinder(HTMLParser):
    """Collects literal text nodes and text attributes, and where blocks open."""

    def __init__(self, block_names: list[str]):
        super().__init__(convert_charrefs=True)
        self.block_names = block_names
        self.findings: list[tuple[int, str]] = []
        self.contexts: dict[str, str] = {}
        self._raw_text = 0  # inside <script> / <style>

    def _note_blocks(self, text: str, context: str):
        for match in re.finditer(f"{BLOCK_MARK}(.)", text, flags=re.S):
            name = self.block_names[ord(match.group(1)) - BLOCK_MARK_BASE]
            self.contexts.setdefault(name, context)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._raw_text += 1
        attributes = dict(attrs)
        for name, value in attrs:
            self._note_blocks(value or "", HIDDEN)
            checked = name in TEXT_ATTRIBUTES or (
                name == "value" and tag == "input"
                and (attributes.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if checked and value and _has_words(value):
                self.findings.append((self.getpos()[0], f'{tag} {name}="{_shown(value)}"'))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag in ("script", "style"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._raw_text:
            self._raw_text -= 1

    def handle_data(self, data):
        self._note_blocks(data, HIDDEN if self._raw_text else TEXT)
        if self._raw_text or not _has_words(data):
            return
        first_letter = next(i for i, ch in enumerate(data) if ch.isalpha())
        line = self.getpos()[0] + data[:first_letter].count("\n")
        self.findings.append((line, _shown(data)))


def parent_template(source: str) -> str | None:
    """The name in a leading {% extends "…" %}, if any ("" when it is a variable)."""
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            bits = token.split_contents()
            if bits[0] != "extends":
                return None
            name = bits[1] if len(bits) > 1 else ""
            return name[1:-1] if name[:1] in "\"'" and name[-1:] == name[:1] else ""
    return None


def untranslated_text(
    source: str, parent_contexts: dict[str, str] | None = None, other_blocks: str = HIDDEN
):
    """
    (findings, block contexts) for one template's source.

    ``parent_contexts`` (block name → TEXT or HIDDEN) is given for a template
    that extends another: then only its blocks are read, each where the parent
    places it; ``other_blocks`` is the context of blocks the parents lack
    (never rendered, unless the parent could not be read).
    """
    extends = parent_contexts is not None
    out: list[str] = []
    block_names: list[str] = []
    contexts: dict[str, str] = {}
    skip_until: set[str] | None = None
    depth = 0
    hidden_block = False  # inside a top-level block of a child that is not page text
    for token in Lexer(source).tokenize():
        visible = not skip_until and (not extends or (depth > 0 and not hidden_block))
        if token.token_type == TokenType.TEXT:
            out.append(token.contents if visible else "\n" * token.contents.count("\n"))
            continue
        bits = token.contents.split() if token.token_type == TokenType.BLOCK else [""]
        name = bits[0] if bits else ""
        if skip_until is not None:
            if name in skip_until:
                skip_until = None
        elif name in SKIPPED_BLOCKS:
            skip_until = SKIPPED_BLOCKS[name]
        elif name == "block" and len(bits) > 1:
            block = bits[1]
            if extends and depth == 0:
                contexts[block] = parent_contexts.get(block, other_blocks)
                hidden_block = contexts[block] != TEXT
                depth += 1
                out.append(TAG)
                continue
            depth += 1
            if not visible:
                contexts[block] = HIDDEN
                out.append(TAG)
            else:
                block_names.append(block)
                out.append(BLOCK_MARK + chr(BLOCK_MARK_BASE + len(block_names) - 1))
            continue
        elif name == "endblock":
            depth -= 1
            if depth == 0:
                hidden_block = False
        out.append(TAG)
    finder = _TextFinder(block_names)
    finder.feed("".join(out))
    finder.close()
    for block in block_names:
        finder.contexts.setdefault(block, HIDDEN)  # e.g. inside an HTML comment
    return finder.findings, {**(parent_contexts or {}), **contexts, **finder.contexts}


def _template_file(name: str, exclude: Path) -> Path | None:
    """Where the template loaders find ``name``, skipping the template extending it."""
    from django.template import engines

    for loader in engines["django"].engine.template_loaders:
        for origin in loader.get_template_sources(name):
            path = Path(origin.name)
            if path.is_file() and path.resolve() != exclude.resolve():
                return path
    return None


def check_template(path: Path, _seen: tuple[Path, ...] = ()):
    """(findings, block contexts) of a template file, reading its parents first."""
    source = path.read_text(encoding="utf-8")
    parent_name = parent_template(source)
    if parent_name is None:
        return untranslated_text(source)
    parent = _template_file(parent_name, path) if parent_name else None
    if parent is None or parent in _seen:
        # A parent named by a variable, or not found: read every block as text.
        return untranslated_text(source, {}, other_blocks=TEXT)
    return untranslated_text(source, check_template(parent, (*_seen, path))[1])


def test_template_check_finds_literal_text():
    """The check itself: literal text is flagged, translated text and markup are not."""
    source = (
        "{% load i18n %}<h1>Something went wrong</h1>\n"
        "<p>{% trans \"Fine\" %} {{ name }} · &amp; ({{ n }})</p>\n"
        "{% blocktrans with x=y %}Also <b>fine</b> {{ x }}{% endblocktrans %}\n"
        "{# a comment #}{% comment %}Not shown{% endcomment %}\n"
        "<script>var label = 'Hidden';</script><style>p:after{content:'x'}</style>\n"
        "<img alt=\"A photo\" src=\"x.png\"><a title=\"{% trans 'Ok' %}\" href=\"/\"></a>\n"
        "<input type=\"submit\" value=\"Go\"><input type=\"hidden\" value=\"abc\">\n"
        "<body class=\"{% block body_class %}{% endblock %}\"><title>{% block title %}"
        "{% endblock %}</title><script>{% block js %}{% endblock %}</script>\n"
    )
    findings, contexts = untranslated_text(source)
    assert findings == [
        (1, "Something went wrong"),
        (6, 'img alt="A photo"'),
        (7, 'input value="Go"'),
    ]
    assert contexts == {"body_class": HIDDEN, "title": TEXT, "js": HIDDEN}

    child = (
        "{% extends \"base.html\" %}{% load i18n %}\n"
        "Outside any block: never rendered\n"
        "{% block body_class %}product-page{% endblock %}\n"
        "{% block js %}oscar.init();{% endblock %}\n"
        "{% block title %}{% trans 'Fine' %} Shop{% block inner %} Inner{% endblock %}"
        "{% endblock %}\n"
        "{% block unknown %}Not in the parent{% endblock %}\n"
    )
    findings, contexts = untranslated_text(child, contexts)
    assert findings == [(5, "Shop … Inner")]
    assert contexts["inner"] == TEXT


def test_templates_are_found():
    assert TEMPLATES, f"no templates under {TEMPLATE_DIRS}"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(REPO)))
def test_template_text_is_marked_for_translation(template):
    findings, _contexts = check_template(template)
    where = template.relative_to(REPO)
    assert not findings, (
        "text not marked for translation (use {% trans %} / {% blocktrans %}):\n  "
        + "\n  ".join(f"{where}:{line}: {text}" for line, text in findings)
    )
