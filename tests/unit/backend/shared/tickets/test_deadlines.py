"""Where a deadline stands: on time, warning before it, then reminder → supervision → report."""

from __future__ import annotations

from datetime import datetime

import pytest

from backend.shared.tickets.config import TicketConfig
from backend.shared.tickets.deadlines import Stage, reply_due, stage_at

from .conftest import local

START = local(2026, 11, 26, 10)


@pytest.mark.parametrize(("grade", "now", "stage"), [
    ("normal", local(2026, 12, 1, 10), Stage.ON_TIME),
    ("normal", local(2026, 12, 2, 12), Stage.WARNING),      # under a quarter of the time left
    ("normal", local(2026, 12, 3, 18), Stage.REMINDER),     # due: Thursday 3 December 18:00
    ("normal", local(2026, 12, 4, 17, 59), Stage.REMINDER),
    ("normal", local(2026, 12, 4, 18), Stage.SUPERVISION),  # one working day late
    ("normal", local(2026, 12, 7, 9), Stage.SUPERVISION),   # the weekend does not count
    ("normal", local(2026, 12, 8, 18), Stage.REPORT),       # three working days late
    ("urgent", local(2026, 11, 26, 11), Stage.ON_TIME),
    ("urgent", local(2026, 11, 26, 11, 31), Stage.WARNING),
    ("urgent", local(2026, 11, 26, 12), Stage.REMINDER),
    ("urgent", local(2026, 11, 26, 14), Stage.SUPERVISION),  # urgent: two hours late
    ("urgent", local(2026, 11, 26, 16), Stage.REPORT),       # urgent: four hours late
])
def test_stages_of_a_reply_deadline(config: TicketConfig, grade: str, now: datetime, stage: Stage) -> None:
    due = reply_due(config, category="property_repairs", grade=grade, received_at=START)
    assert stage_at(config, start=START, due=due, grade=grade, now=now) is stage


def test_stage_order_and_overdue_flag() -> None:
    assert [s.overdue for s in Stage] == [False, False, True, True, True]
    assert Stage.REPORT > Stage.SUPERVISION > Stage.REMINDER > Stage.WARNING > Stage.ON_TIME
    assert Stage.SUPERVISION.code == "supervision"
