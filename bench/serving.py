"""
Serving a site for a benchmark: the project or plain Oscar, under gunicorn on a local port.

Shared by ``storefront.py`` and ``checkout.py`` so that both sites of a comparison are
started, awaited and stopped the same way.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


# Several engineers share one machine: BENCH_NAME (e.g. "perf") gives every database a
# bench drops, and the cache key namespace it clears, a suffix of its own; BENCH_REDIS_URL
# (e.g. redis://127.0.0.1:6379/11) picks a Redis database nobody's tests use. The
# command-line options still win.
BENCH_NAME = os.environ.get("BENCH_NAME", "").strip()
if BENCH_NAME and not re.fullmatch(r"[a-z0-9_]{1,20}", BENCH_NAME):
    sys.exit(f"BENCH_NAME={BENCH_NAME!r}: lower-case letters, digits and _ only")


def database_url(name: str) -> str:
    """A bench database's URL on the local PostgreSQL, suffixed with BENCH_NAME."""
    return f"postgres://postgres@127.0.0.1:5432/{name}{'_' + BENCH_NAME if BENCH_NAME else ''}"


def redis_url(default: str) -> str:
    return os.environ.get("BENCH_REDIS_URL") or default


def cache_prefix(name: str) -> str:
    return f"{name}-{BENCH_NAME}" if BENCH_NAME else name


def positive_int(text) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number")
    return value


def say(message):
    print(message, file=sys.stderr, flush=True)


def recreate_database(database_url):
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        sys.exit(f"Refusing to drop database {name!r}: its name must contain 'bench'.")
    # Django options such as ?conn_max_age=60 mean nothing to libpq: leave them out.
    maintenance_url = urlunsplit(parts._replace(path="/postgres", query=""))
    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def manage(env, *command):
    result = subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{result.stdout}{result.stderr}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def project_gunicorn(workers: int, bind: str) -> list[str]:
    # The site's own settings (gunicorn.conf.py, as ``make run``), the bench's worker count on top.
    return [sys.executable, "-m", "gunicorn", "--config", str(ROOT / "gunicorn.conf.py"),
            "-w", str(workers), "-b", bind, "--log-level", "warning"]


@contextmanager
def gunicorn(workers, env, log_path, command=project_gunicorn, cwd=ROOT):
    """A gunicorn serving a site on a free local port; always stopped on exit.

    ``command(workers, bind)`` is the server's command line: this project's by default, plain
    Oscar's (``anchor.Anchor.gunicorn_command``) beside it, with the same settings.
    """
    port = free_port()
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            command(workers, f"{HOST}:{port}"),
            cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            wait_until_up(server, port, log_path)
            yield port
        finally:
            stop(server, timeout=15)


def celery_lists(client, queue: str = "celery") -> list:
    """The Redis lists of a Celery queue: kombu keeps one per priority step ("celery" is step
    0, "celery\x06\x166" step 6, the project's default). Named, not scanned for: a scan of a
    database holding a crowd's sessions, ten times a second, was most of Redis's CPU."""
    from kombu.transport.redis import Channel

    return [queue if step == 0 else f"{queue}{Channel.sep}{step}" for step in Channel.priority_steps]


def stop(process, timeout: float) -> None:
    """Ask a server process to stop; kill it if it has not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_up(server, port, log_path, timeout=120):  # a loaded 2-core machine starts slowly
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited:\n{Path(log_path).read_text()}")
        conn = http.client.HTTPConnection(HOST, port, timeout=5)
        try:
            conn.request("GET", "/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    sys.exit(f"gunicorn did not answer within {timeout} s; see {log_path}")
