"""What every HTML page must satisfy under the Content-Security-Policy, for the header tests."""

import re

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)
# onclick=, onchange=, onload=… in markup: the policy refuses them, so a page must have none.
EVENT_HANDLER_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)


def directives(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_security_headers(response):
    """The policy allows scripts only from our origin or with this response's nonce."""
    policy = directives(response)
    scripts = policy["script-src"]
    assert "'self'" in scripts
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and not any(s.startswith(("http:", "https:", "data:")) for s in scripts)
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert "'self'" in policy["form-action"]
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    permissions = response.headers["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions

    html = response.content.decode()
    nonces = [s[len("'nonce-"):-1] for s in scripts if s.startswith("'nonce-")]
    for attributes in INLINE_SCRIPT.findall(html):
        assert nonces and f'nonce="{nonces[0]}"' in attributes, f"inline <script{attributes}> without the nonce"
    handlers = EVENT_HANDLER_ATTRIBUTE.findall(html)
    assert not handlers, f"inline event handlers: {handlers}"
    return policy
