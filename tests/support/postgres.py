"""A fresh PostgreSQL database per test run (or module), from KIOSK_TEST_PG_URL.

Unset: PostgreSQL tests are skipped. Set but unreachable: they FAIL — CI sets it, and a
PostgreSQL that silently went missing must not turn the suite green.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

ENV = "KIOSK_TEST_PG_URL"


def server_url() -> str:
    """Return the PostgreSQL server URL, skipping when unset and failing when unreachable."""
    url = os.environ.get(ENV, "")
    if not url:
        pytest.skip(f"{ENV} is not set (scripts/test sets it)")
    import psycopg

    try:
        psycopg.connect(url, connect_timeout=5).close()
    except psycopg.Error as err:
        pytest.fail(f"{ENV}={url} is set but PostgreSQL is unreachable: {err}")
    return url


@contextmanager
def fresh_database(url: str, prefix: str = "kiosk_test", template: str | None = None) -> Iterator[str]:
    """Create a database on the server (empty, or a copy of ``template``'s URL), yield its URL,
    drop it afterwards."""
    import psycopg

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{urlsplit(template).path.lstrip("/")}"' if template else ""
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"{copy}')
    parts = urlsplit(url)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
