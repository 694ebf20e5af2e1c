"""The periodic sweep runs in one worker at a time across workers on one PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from backend.platform.leadership import Leadership
from backend.platform.runtime import PlatformRuntime
from support.postgres import fresh_database, server_url


@pytest.mark.postgres
def test_one_worker_holds_the_sweep_and_another_takes_over_when_it_stops() -> None:
    with fresh_database(server_url()) as url:
        _two_workers(url.replace("postgresql://", "postgresql+psycopg://", 1))


def _two_workers(url: str) -> None:
    first_engine, second_engine = create_engine(url), create_engine(url)  # two workers' pools
    first, second = Leadership(first_engine, key=4242), Leadership(second_engine, key=4242)
    try:
        assert first.held() and first.held()  # taken, then kept
        assert not second.held()
        first.release()  # a worker stopping gives the sweep up at once
        assert second.held() and not first.held()
        with second_engine.connect() as admin:  # the leader's database session dies (a crash)
            # pg_terminate_backend only signals the backend; the lock goes when it has exited,
            # so wait for that (up to 10 s), as the other worker's next round would come later.
            ended = admin.execute(text(
                "SELECT bool_and(pg_terminate_backend(pid, 10000)) FROM pg_locks "
                "WHERE locktype = 'advisory' AND objid = 4242 AND pid <> pg_backend_pid()")).scalar()
        assert ended
        assert first.held() and not second.held()  # the other worker takes over on its next round
    finally:
        first.release()
        second.release()
        first_engine.dispose()
        second_engine.dispose()


def test_a_worker_alone_on_its_database_always_sweeps(runtime: PlatformRuntime) -> None:
    assert runtime.leadership.held()
    runtime.leadership.release()
    assert runtime.leadership.held()
    runtime.leadership.release()
