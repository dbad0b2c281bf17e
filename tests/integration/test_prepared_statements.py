"""On PostgreSQL a statement the site runs again and again is prepared on its connection.

Server-side binding (settings: ``DATABASE_PREPARED_STATEMENTS``): after
``prepare_threshold`` runs on one connection the statement is prepared, and later runs
skip PostgreSQL's parse and plan. The flash sale's hot statements (a claim by its token,
the accepting transaction) and every page's basket lookup run thousands of times a
minute on each kept connection.
"""

import pytest
from django.conf import settings
from django.db import connection

OPTIONS = settings.DATABASES["default"].get("OPTIONS", {})

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"),
    pytest.mark.skipif(not OPTIONS.get("server_side_binding"), reason="turned off (DATABASE_PREPARED_STATEMENTS=0)"),
]

# Run by nothing else: its preparation is this test's doing.
STATEMENT = "SELECT %s::integer + 1 AS prepared_statement_probe"


def prepared() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements WHERE NOT from_sql")
        return [row[0] for row in cursor.fetchall()]


def run(value: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(STATEMENT, [value])
        return cursor.fetchone()[0]


def test_a_statement_run_past_the_threshold_is_prepared_and_still_answers_each_value():
    threshold = OPTIONS["prepare_threshold"]
    assert [run(n) for n in range(threshold - 1)] == list(range(1, threshold))
    assert not any("prepared_statement_probe" in statement for statement in prepared())

    # One SQL text, the values sent apart: the next runs are the prepared statement's.
    assert [run(n) for n in range(100, 103)] == [101, 102, 103]

    assert any("prepared_statement_probe" in s and "$1" in s for s in prepared())
