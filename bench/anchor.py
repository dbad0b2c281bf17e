"""
The plain django-oscar shop the speed goals are ratios of, built beside the project.

The recipe is ``../shared/anchors/vanilla_oscar/`` (an Oscar 4.2.1 shop configured only as
Oscar's getting-started guide says, 1,000 products in five categories). It is built once in
``~/.cache/vanilla-oscar`` (``ANCHOR_HOME``): a virtualenv of its own with Oscar from PyPI,
so nothing of this project leaks into it. Its database is dropped and rebuilt on every run,
like the project's, so both shops start each run from the same state. Nothing of the recipe is
copied into this repository: it is read from the shared folder at run time.
"""

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from serving import ROOT, database_url, recreate_database, say

SOURCE = Path(os.environ.get("ANCHOR_SOURCE", ROOT.parent / "shared" / "anchors" / "vanilla_oscar"))
HOME = Path(os.environ.get("ANCHOR_HOME", Path.home() / ".cache" / "vanilla-oscar"))
DEFAULT_DATABASE_URL = database_url("vanilla_oscar_bench")
# What measure.sh installs: the same versions, so figures compare with the recipe's own.
REQUIREMENTS = ("django>=5.2,<5.3", "django-oscar==4.2.1", "sorl-thumbnail>=12.10,<13",
                "psycopg[binary]", "gunicorn")
PRODUCTS = 1000
# The recipe's search words: "Device 0042" finds Device 00420-00429, ten products each.
SEARCHES = [f"/search/?q=Device+00{k:02d}" for k in range(100)]
CATEGORY = "/catalogue/category/phones_1/"


@dataclass
class Anchor:
    home: Path
    env: dict[str, str]
    category: str
    products: list[str]
    searches: list[str]

    @property
    def python(self) -> str:
        return str(self.home / "venv" / "bin" / "python")

    def manage(self, code: str) -> str:
        """Run ``code`` in the anchor's ``manage.py shell``; its standard output."""
        result = subprocess.run(
            [self.python, "manage.py", "shell", "-c", code],
            cwd=self.home, env=self.env, capture_output=True, text=True,
        )
        if result.returncode:
            sys.exit(f"plain Oscar: manage.py shell failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    def gunicorn_command(self, workers: int, bind: str) -> list[str]:
        return [str(self.home / "venv" / "bin" / "gunicorn"), "wsgi_app:application",
                "-w", str(workers), "-b", bind, "--log-level", "warning"]


def _database_name(database_url: str) -> str:
    return database_url.rsplit("/", 1)[-1].split("?", 1)[0]


def build(database_url: str = DEFAULT_DATABASE_URL) -> Anchor:
    """The plain Oscar shop, installed (once) and seeded afresh in ``database_url``."""
    if not (SOURCE / "settings.py").exists():
        sys.exit(f"No plain Oscar recipe at {SOURCE} (set ANCHOR_SOURCE).")
    venv = HOME / "venv"
    if not (venv / "bin" / "gunicorn").exists():
        say(f"Installing plain Oscar into {venv} (once)…")
        HOME.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", *REQUIREMENTS], check=True)
    for recipe in SOURCE.glob("*.py"):
        shutil.copy2(recipe, HOME / recipe.name)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "settings",
           "ANCHOR_DB": _database_name(database_url), "ANCHOR_MEDIA": str(HOME / "media")}
    # The project's variables mean nothing to the anchor; keep them from confusing it.
    for name in ("DATABASE_URL", "REDIS_URL", "PYTHONPATH", "DEBUG"):
        env.pop(name, None)
    say("Rebuilding the plain Oscar shop's database…")
    recreate_database(database_url)
    anchor = Anchor(home=HOME, env=env, category=CATEGORY, products=[], searches=SEARCHES)
    migrate = subprocess.run([anchor.python, "manage.py", "migrate", "-v0"],
                             cwd=HOME, env=env, capture_output=True, text=True)
    if migrate.returncode:
        sys.exit(f"plain Oscar: migrate failed:\n{migrate.stdout}{migrate.stderr}")
    anchor.manage(f"import seed, countries; seed.run({PRODUCTS}); countries.run()")
    listing = anchor.manage(
        "from oscar.core.loading import get_model\n"
        "for p in get_model('catalogue', 'Product').objects.order_by('pk')[:100]:\n"
        "    print(p.get_absolute_url())"
    )
    anchor.products = [line for line in listing.splitlines() if line.startswith("/")]
    return anchor


def queries(anchor: Anchor) -> dict[str, int | str]:
    """SQL queries per anonymous request of the anchor's pages, by the recipe's own counter."""
    counted = {}
    for line in anchor.manage("import queries; queries.run()").splitlines():
        match = re.match(r"(\w+)\s+\S+\s+status=(\d+)\s+queries=(\d+)", line)
        if match:
            name, status, n = match.groups()
            counted[name] = int(n) if status == "200" else f"HTTP {status}"
    return counted
