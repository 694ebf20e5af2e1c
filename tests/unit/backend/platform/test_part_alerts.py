"""A station process its supervisor put out of service arrives as a component.status of kind
"process"; the platform keeps one alert open while any such part is down and resolves it when all
are back."""

from __future__ import annotations

from sqlalchemy import select

from backend.platform.db.fleet_models import Alert
from backend.platform.db.session import write_transaction
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.ingest import apply_batch
from backend.shared.protocol import EventBatch, OutboxEventIn

from .conftest import NOW, enrolled


def _part(seq: int, name: str, down: bool) -> OutboxEventIn:
    cid = f"process.{name}"
    return OutboxEventIn(seq=seq, type="component.status", aggregate_id=cid, created_at=NOW, payload={
        "id": cid, "kind": "process", "state": "UNAVAILABLE" if down else "READY",
        "code": "NOT_RESPONDING" if down else "OK", "detail": "crash loop" if down else "",
        "simulated": False})


def _apply(runtime: PlatformRuntime, *events: OutboxEventIn) -> None:
    with write_transaction(runtime.db) as session:
        apply_batch(session, station_id="st-01", batch=EventBatch(station_id="st-01", events=list(events)),
                    now=NOW)


def _alerts(runtime: PlatformRuntime) -> list[tuple[str, str, bool]]:
    with runtime.db() as session:
        return [(a.kind, a.detail, a.resolved_at is None) for a in session.scalars(select(Alert).order_by(Alert.id))]


def test_one_alert_while_any_part_is_out_of_service(runtime: PlatformRuntime) -> None:
    enrolled(runtime)
    _apply(runtime, _part(1, "ui", down=True))
    assert _alerts(runtime) == [("part_out_of_service", "process.ui: crash loop", True)]
    _apply(runtime, _part(2, "sim", down=True))  # a second part down: still one alert
    assert [open_ for *_rest, open_ in _alerts(runtime)] == [True]
    _apply(runtime, _part(3, "ui", down=False))
    assert [open_ for *_rest, open_ in _alerts(runtime)] == [True]  # the simulators still down
    _apply(runtime, _part(4, "sim", down=False))
    assert [(kind, open_) for kind, _detail, open_ in _alerts(runtime)] == [("part_out_of_service", False)]


def test_every_alert_kind_has_words_in_the_console() -> None:
    from backend.platform.console.i18n import WORDS
    from backend.platform.services.alerts import SEVERITY

    assert [kind for kind in SEVERITY if f"alert.{kind}" not in WORDS] == []
