"""Waiting for PostgreSQL lock waits in concurrency tests, instead of sleeping.

A thread that holds a row lock calls ``wait_until_blocking_someone()`` to know that
the other thread's transaction is really queued behind it: sleeping a fixed time
only makes that likely, and on a loaded CI machine the other thread may not even
have reached the database yet.
"""

import time

from django.db import connection

TIMEOUT = 30.0  # seconds: generous, a loaded 2-core CI machine can be very slow


def backend_pid():
    """This thread's PostgreSQL backend process id."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def wait_until_blocking_someone(timeout=TIMEOUT):
    """Return once another backend waits for a lock this thread's backend holds.

    Usable inside the transaction that holds the lock: the activity snapshot
    PostgreSQL caches for a transaction is cleared before every look. Raises
    ``AssertionError`` when nobody queued up within ``timeout`` seconds.
    """
    holder = backend_pid()
    deadline = time.monotonic() + timeout
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
                [holder],
            )
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no backend waited for a lock of backend {holder} in {timeout} s")
            time.sleep(0.01)
