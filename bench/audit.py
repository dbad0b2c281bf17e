"""
Storefront audit: Lighthouse (mobile) and axe-core over the issue-14 page list, served
as production serves it, each figure printed next to its goal.

Serves the configured database (``.env``; ``make audit`` seeds the demo first) with
gunicorn, ``DEBUG`` off, static files collected, hashed and compressed by WhiteNoise,
pages compressed. For home, category, product, store, basket and the one-page checkout
the basket leads to in ``/ng/``, ``/eg/`` and ``/ci/`` it runs Lighthouse (``bench/node_modules``, npm
``lighthouse``, mobile emulation and throttling, Debian's chromium) and axe-core in
headless Chromium, and measures bytes transferred on a first and a repeat visit
(Resource Timing, same browser profile). Prints a markdown table; progress on stderr;
Lighthouse's JSON reports in ``bench/audit-results/``.

    make audit            # npm install in bench/, migrate, seed_demo, collectstatic, run
    .venv/bin/python bench/audit.py [--channels ng,eg,ci] [--workers 2]

Lighthouse's performance score depends on the machine's load: run it on a quiet one.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from serving import HOST, ROOT, gunicorn, manage, positive_int, say

BENCH = ROOT / "bench"
NODE_BIN = BENCH / "node_modules" / ".bin"
AXE = BENCH / "node_modules" / "axe-core" / "axe.min.js"
RESULTS = BENCH / "audit-results"
WORK_DIR = ROOT / "var" / "audit"

GOALS = {"performance": 0.95, "accessibility": 1.0, "best-practices": 0.95, "seo": 0.95}
LCP_GOAL_MS = 2000
BYTES_GOALS = {"home": 200_000, "product": 150_000}
REPEAT_GOAL = 30_000
PAGES = ("home", "category", "product", "store", "basket", "checkout")


def opener():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar)), jar


def fetch(open_url, url, data=None, referer=None):
    request = urllib.request.Request(url, data=data)
    if referer:
        request.add_header("Referer", referer)
    with open_url.open(request, timeout=60) as response:
        return response.read().decode("utf-8", "replace")


def find(pattern, html, what):
    match = re.search(pattern, html)
    if not match:
        sys.exit(f"audit: no {what} found on the page")
    return match.group(1)


def page_list(base, code):
    """The channel's page URLs, found by following its home page's links like a shopper."""
    browse, _jar = opener()
    home = f"{base}/{code}/"
    html = fetch(browse, home)
    category = find(rf'href="(/{code}/catalogue/category/[^"]+)"', html, "category")
    # The first product a shopper can put in the basket: the flash-sale strip comes first on
    # home pages, and an item whose units are all held for the sale has no basket form.
    links = dict.fromkeys(re.findall(rf'<a href="(/{code}/catalogue/[^"/]+_\d+/)"', html))
    product = next((link for link in links if 'id="add_to_basket_form"' in fetch(browse, base + link)), None)
    if product is None:
        sys.exit("audit: no product with a basket form found on the home page")
    stores = fetch(browse, f"{base}/{code}/stores/")
    store = find(rf'href="(/{code}/store/[^"]+/)"', stores, "store")
    return {"home": home, "category": base + category, "product": base + product,
            "store": base + store}


def basket_cookie(base, product_url):
    """A visitor's cookies with one item in the basket (for the basket and checkout pages)."""
    browse, jar = opener()
    html = fetch(browse, product_url)
    token = find(r'name="csrfmiddlewaretoken" value="([^"]+)"', html, "CSRF token")
    action = find(r'<form id="add_to_basket_form" action="([^"]+)"', html, "basket form")
    fields = {"csrfmiddlewaretoken": token, "quantity": "1"}
    if 'name="child_id"' in html:  # a product with variants: the first one on sale
        fields["child_id"] = find(r'<option value="(\d+)"(?![^>]*\bdisabled)', html, "variant")
    fetch(browse, base + action, urllib.parse.urlencode(fields).encode(), referer=product_url)
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def lighthouse(url, cookie, name):
    RESULTS.mkdir(exist_ok=True)
    report = RESULTS / f"{name}.json"
    command = [
        str(NODE_BIN / "lighthouse"), url, "--quiet", "--output=json", f"--output-path={report}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
    ]
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = dict(os.environ, CHROME_PATH=shutil.which("chromium") or "")
    for attempt in (1, 2):  # on a loaded machine Chromium now and then fails to start
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
        if result.returncode == 0:
            break
        say(f"lighthouse failed (attempt {attempt}): {result.stderr.strip()[-300:]}")
    else:
        return {**{key: None for key in GOALS}, "lcp": None, "bytes": None}
    data = json.loads(report.read_text())
    scores = {key: data["categories"][key]["score"] for key in GOALS}
    return {
        **scores,
        "lcp": data["audits"]["largest-contentful-paint"]["numericValue"],
        "bytes": data["audits"]["total-byte-weight"]["numericValue"],
    }


def browser_checks(playwright, url, cookie):
    """axe-core violations, and bytes transferred on a first and a repeat visit."""
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                         args=["--no-sandbox", "--headless=new"])
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    if cookie:
        host = urllib.parse.urlsplit(url).hostname
        context.add_cookies([{"name": k, "value": v, "domain": host, "path": "/"}
                             for k, v in (c.split("=", 1) for c in cookie.split("; "))])
    page = context.new_page()
    transferred = """() => performance.getEntriesByType("navigation").concat(
        performance.getEntriesByType("resource")).reduce((sum, e) => sum + e.transferSize, 0)"""
    page.goto(url, wait_until="load")
    first = page.evaluate(transferred)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document)).violations.map(v => v.id)")
    page.goto(url, wait_until="load")
    repeat = page.evaluate(transferred)
    browser.close()
    return {"axe": violations, "first": first, "repeat": repeat}


def mark(ok):
    return "" if ok else " ✗"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--channels", default="ng,eg,ci")
    parser.add_argument("--workers", type=positive_int, default=2)
    args = parser.parse_args()
    if not (NODE_BIN / "lighthouse").exists() or not AXE.exists():
        sys.exit("audit: run `npm install` in bench/ first (make audit does)")

    from playwright.sync_api import sync_playwright

    env = dict(os.environ, DEBUG="0", SERVE_MEDIA="1", STATIC_ROOT=str(WORK_DIR / "static"),
               ALLOWED_HOSTS=f"{HOST},localhost")
    say("collectstatic…")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    load = os.getloadavg()
    rows, failures = [], 0
    with gunicorn(args.workers, env, WORK_DIR / "gunicorn.log") as port, sync_playwright() as pw:
        base = f"http://{HOST}:{port}"
        for code in args.channels.split(","):
            urls = page_list(base, code)
            cookie = basket_cookie(base, urls["product"])
            urls["basket"] = f"{base}/{code}/basket/"
            # The checkout the basket leads to: the one-page checkout (``checkout:one-page``).
            urls["checkout"] = f"{base}/{code}/checkout/now/"
            for name in PAGES:
                with_basket = name in ("basket", "checkout")
                say(f"{code} {name}: {urls[name]}")
                scores = lighthouse(urls[name], cookie if with_basket else "", f"{code}-{name}")
                checks = browser_checks(pw, urls[name], cookie if with_basket else "")
                rows.append((code, name, urls[name].removeprefix(base), scores, checks))
                time.sleep(0.5)
    print(f"\nAudit of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
          f"load average before the run {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} "
          f"on {os.cpu_count()} cores; ✗ marks a figure that misses its goal.\n")
    print("| page | perf ≥0.95 | a11y =1 | best pr. ≥0.95 | SEO ≥0.95 | LCP ≤2.0 s "
          "| bytes (Lighthouse) | first visit | repeat ≤30 KB | axe |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for _code, name, path, s, c in rows:
        cells = []
        for key, goal in GOALS.items():
            ok = s[key] is not None and s[key] >= goal
            failures += not ok
            cells.append(f"{s[key]:.2f}{mark(ok)}" if s[key] is not None else "n/a ✗")
        lcp_ok = s["lcp"] is not None and s["lcp"] <= LCP_GOAL_MS
        bytes_goal = BYTES_GOALS.get(name)
        first_ok = bytes_goal is None or c["first"] <= bytes_goal
        repeat_ok = c["repeat"] <= REPEAT_GOAL
        axe_ok = not c["axe"]
        failures += (not lcp_ok) + (not first_ok) + (not repeat_ok) + (not axe_ok)
        goal_note = f" (≤{bytes_goal // 1000} KB)" if bytes_goal else ""
        lcp = f"{s['lcp'] / 1000:.2f} s" if s["lcp"] is not None else "n/a"
        weight = f"{s['bytes'] / 1000:.1f} KB" if s["bytes"] is not None else "n/a"
        print(f"| {path} | {' | '.join(cells)} | {lcp}{mark(lcp_ok)} "
              f"| {weight} | {c['first'] / 1000:.1f} KB{goal_note}{mark(first_ok)} "
              f"| {c['repeat'] / 1000:.1f} KB{mark(repeat_ok)} "
              f"| {', '.join(c['axe']) or '0'}{mark(axe_ok)} |")
    print(f"\n{failures} figure(s) miss their goal; load average after: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
