"""The deadline sweep over a frozen clock (warning → reminder → supervision → report to the level
above, each recorded once), and the figures and duplicate suggestions staff see."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend.platform.clock import FrozenClock
from backend.platform.db.area_models import ChangeRecord
from backend.platform.db.ticket_models import TicketTransition
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.tickets.figures import duplicates_of, ticket_figures
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.workflow import Classify, Close, Dispatch, Rate, Reply, Return, Sign

from .conftest import COMMUNITY, GRID_1, GRID_2, STREET, act, actor, apply_events, number, submitted, ticket

BEIJING = timedelta(hours=8)


def at(clock: FrozenClock, year: int, month: int, day: int, hour: int) -> None:
    """Move the clock to a Beijing time."""
    clock.advance(seconds=(datetime(year, month, day, hour, tzinfo=UTC) - BEIJING - clock.now()).total_seconds())


def _escalations(runtime: PlatformRuntime, ticket_no: str) -> list[tuple[str, str, str | None]]:
    with runtime.db() as session:
        rows = session.scalars(select(TicketTransition).where(TicketTransition.ticket_no == ticket_no,
                                                              TicketTransition.action == "escalate")
                               .order_by(TicketTransition.id))
        return [(r.detail["kind"], r.detail["stage"], r.detail["to_unit"]) for r in rows]


def _ticket_changes(runtime: PlatformRuntime) -> int:
    with runtime.db() as session:
        return session.scalar(select(func.count()).select_from(ChangeRecord).where(ChangeRecord.kind == "ticket")) or 0


def test_the_sweep_warns_then_escalates_each_stage_once(runtime: PlatformRuntime, station: str) -> None:
    clock = runtime.clock
    assert isinstance(clock, FrozenClock)
    at(clock, 2026, 11, 26, 16)  # Thursday 16:00
    apply_events(runtime, [("ticket.submitted", submitted(1))])
    community = actor(runtime, COMMUNITY)
    act(runtime, community, number(1), Classify("property_repairs", "normal"))
    act(runtime, community, number(1), Dispatch(GRID_1, "", "grid_worker"))  # sign for by Friday 18:00
    changes = _ticket_changes(runtime)
    timeline = [((2026, 11, 26, 20), []), ((2026, 11, 27, 12), ["warning"]), ((2026, 11, 27, 13), []),
                ((2026, 11, 27, 18), ["reminder"]), ((2026, 11, 28, 12), []),  # Saturday: no working day
                ((2026, 11, 30, 18), ["supervision"]), ((2026, 12, 2, 18), ["report"]), ((2026, 12, 9, 9), [])]
    for moment, expected in timeline:
        at(clock, *moment)
        notes = [n for n in runtime.sweep_once() if n["type"] == "ticket.escalated"]
        assert [n["stage"] for n in notes] == expected, moment
    assert _escalations(runtime, number(1)) == [
        ("sign", "warning", None), ("sign", "reminder", None), ("sign", "supervision", None),
        ("sign", "report", COMMUNITY)]  # reported to the level above the grid
    assert _ticket_changes(runtime) == changes  # escalations are internal: nothing goes to the kiosk
    escalated = ticket(runtime, number(1))
    assert escalated.escalation == {"sign": 4}
    act(runtime, actor(runtime, GRID_1), number(1), Sign())  # late: now the reply deadline runs
    assert ticket(runtime, number(1)).sign_late
    runtime.sweep_once()  # Dec 9: the reply was due Dec 3 18:00, three working days ago and more
    assert _escalations(runtime, number(1))[-1] == ("reply", "report", COMMUNITY)


def test_figures_per_unit_and_category(runtime: PlatformRuntime, station: str) -> None:
    apply_events(runtime, [("ticket.submitted", submitted(n)) for n in (1, 2, 3)] +
                 [("ticket.submitted", submitted(4, category="praise", chosen_category="praise",
                                                 description="感谢社区的帮助"))])
    community, grid1, grid2 = actor(runtime, COMMUNITY), actor(runtime, GRID_1), actor(runtime, GRID_2)
    for n in (1, 2, 3):
        act(runtime, community, number(n), Classify("property_repairs", "normal"))
        act(runtime, community, number(n), Dispatch(GRID_1, "", "grid_worker"))
    act(runtime, grid1, number(1), Sign())
    act(runtime, grid1, number(1), Reply("已修好"))
    act(runtime, community, number(1), Close("resolved"))
    act(runtime, community, number(1), Rate(5, (), "callback"))
    act(runtime, grid1, number(2), Return("not_our_area"))
    act(runtime, community, number(2), Dispatch(GRID_2, "", "grid_worker"))
    act(runtime, grid2, number(2), Sign())
    act(runtime, grid2, number(2), Reply("不属于政府职责"))
    act(runtime, community, number(2), Close("unresolved", "outside_duty"))
    act(runtime, community, number(2), Rate(1, ("not_solved",), "callback"))  # reopened
    with runtime.db() as session:
        result = ticket_figures(session, actor=community, by="unit", since=runtime.clock.now() - timedelta(days=1),
                                until=runtime.clock.now() + timedelta(days=1), config=load_ticket_config(),
                                now=runtime.clock.now())
        by_category = ticket_figures(session, actor=community, by="category",
                                     since=runtime.clock.now() - timedelta(days=1),
                                     until=runtime.clock.now() + timedelta(days=1), config=load_ticket_config(),
                                     now=runtime.clock.now())
        grid_only = ticket_figures(session, actor=grid1, by="unit", since=runtime.clock.now() - timedelta(days=1),
                                   until=runtime.clock.now() + timedelta(days=1), config=load_ticket_config(),
                                   now=runtime.clock.now())
    total = result["total"]
    assert (total["tickets"], total["closed_resolved"], total["closed_unresolved"], total["reopened"]) == (4, 1, 1, 1)
    assert total["resolution_rate"] == 0.5 and total["satisfaction_rate"] == 0.5
    assert total["returns_per_ticket"] == 0.25 and total["sign_hours_mean"] == 0.0
    assert [g["key"] for g in result["groups"]] == [GRID_1, GRID_2, "unassigned"]
    assert [(g["key"], g["tickets"]) for g in by_category["groups"]] == [("praise", 1), ("property_repairs", 3)]
    assert grid_only["total"]["tickets"] == 2  # grid 1 sees what is dispatched to it now: tickets 1 and 3


def test_possible_duplicates_are_suggested(runtime: PlatformRuntime, station: str) -> None:
    apply_events(runtime, [
        ("ticket.submitted", submitted(1, description="3号楼2单元水管漏水")),
        ("ticket.submitted", submitted(2, description="水管漏水了，3号楼2单元")),
        ("ticket.submitted", submitted(3, place={"kind": "building", "building": "5", "unit": "1"})),
        ("ticket.submitted", submitted(4, category="safety_hazard", chosen_category="safety_hazard",
                                       description="楼道电动车充电")),
    ])
    community = actor(runtime, COMMUNITY)
    with runtime.db() as session:
        found = duplicates_of(session, ticket(runtime, number(1)), actor=community, config=load_ticket_config(),
                              now=runtime.clock.now())
        hidden = duplicates_of(session, ticket(runtime, number(1)), actor=actor(runtime, STREET),
                               config=load_ticket_config(), now=runtime.clock.now())
    assert [f["ticket_no"] for f in found] == [number(2)] and found[0]["similarity"] > 0.5
    assert [f["ticket_no"] for f in hidden] == [number(2)]  # the street sees the community's tickets
