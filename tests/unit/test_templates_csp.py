"""
No template the storefront renders has a script the Content-Security-Policy refuses:
inline <script> only in oscar/base.html (with the nonce), no onclick=-style handlers, no
javascript: URLs, in our templates and in Oscar's that ours do not replace.
"""

import re
from pathlib import Path

import oscar

ROOT = Path(__file__).resolve().parents[2]
OURS = [ROOT / "templates", *sorted((ROOT / "marketplace").glob("*/templates"))]
OSCAR = Path(oscar.__file__).parent / "templates"

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
REFUSED = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=|javascript:", re.IGNORECASE)

# Oscar's templates that keep an inline script or handler, and why it never runs.
OSCAR_EXCEPTIONS = {
    "oscar/500.html": "Oscar's handler500, not ours (marketplace.storefront.errors.server_error)",
    "oscar/error.html": "base of Oscar's 403/404 pages; ours are 404.html and 500.html",
    "oscar/partials/google_analytics.html": "only with GOOGLE_ANALYTICS_ID, which we do not set",
    "oscar/forms/widgets/image_input_widget.html": "Oscar's dashboard forms, not routed",
    "oscar/customer/wishlists/wishlists_form.html": "its history.go(-1) link is rewired by behaviours.js",
}


def templates(root):
    return {str(path.relative_to(root)): path.read_text(encoding="utf-8") for path in root.rglob("*.html")}


def test_our_templates_have_no_inline_script_but_oscars_page_hook_with_the_nonce():
    for root in OURS:
        for name, text in templates(root).items():
            assert not REFUSED.search(text), f"{name}: inline handler or javascript: URL"
            for attributes in INLINE_SCRIPT.findall(text):
                assert name == "oscar/base.html" and 'nonce="{{ request.csp_nonce }}"' in attributes, name


def test_oscars_templates_we_render_have_no_inline_script():
    overridden = set()
    for root in OURS:
        overridden |= set(templates(root))
    offending = {
        name for name, text in templates(OSCAR).items()
        if not name.startswith("oscar/dashboard/") and name not in overridden
        and (REFUSED.search(text) or INLINE_SCRIPT.search(text))
    }
    assert offending == set(OSCAR_EXCEPTIONS), "override these templates or explain why they never run"
