"""
Secrets the demo generates for itself on first run and keeps under ``var/``.

A secret written in the source is a secret everyone has: with the old literal
``SECRET_KEY`` anyone could sign an open-basket cookie and open another guest's
basket, and with the old sandbox secret sign a payment callback. So the demo
makes its own, once, in a file only its owner can read (mode 0600, ``var/`` is
ignored by git), and reads the same file on every later run, so sessions and
cookies survive a restart. Production never reads this file: its secrets come
from the environment (``marketplace.settings.production``).
"""

import fcntl
import json
import os
import secrets
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Owner read/write only: the file holds keys that sign sessions and payment callbacks.
FILE_MODE = 0o600


def _new_secret() -> str:
    # 50 URL-safe characters or more: what Django's check --deploy asks of a SECRET_KEY.
    return secrets.token_urlsafe(48)


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise ImproperlyConfigured(f"{path} is not valid JSON; delete it to make new secrets") from exc
    if not isinstance(data, dict) or not all(isinstance(v, str) and v for v in data.values()):
        raise ImproperlyConfigured(f"{path} does not hold secrets; delete it to make new secrets")
    return data


def _write(path: Path, data: dict[str, str]) -> None:
    """Write ``data`` to ``path`` whole (other processes see the old file or the new one)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
        os.chmod(tmp, FILE_MODE)  # O_CREAT's mode is masked by the umask; be exact
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load_or_create(path: Path, names: tuple[str, ...]) -> dict[str, str]:
    """
    The secrets ``names`` stored in ``path``, generating those not there yet.

    Several processes start at once (runserver's reloader, gunicorn workers, a
    Celery worker): a lock file makes one of them generate and the others read
    what it wrote, so they all sign with the same keys.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(f".{path.name}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            data = _read(path)
            missing = [name for name in names if name not in data]
            if missing:
                data.update({name: _new_secret() for name in missing})
                _write(path, data)
            elif path.stat().st_mode & 0o077:
                # Readable by others (copied around, or an old umask): close it again.
                os.chmod(path, FILE_MODE)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return {name: data[name] for name in names}
