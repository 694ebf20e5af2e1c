"""Handling tickets on the platform: who may do what (units and roles, checked on the server),
every transition recorded with who, unit, when and note, and audited; arbitration at the level
above; links between duplicates."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.platform.db.staff_models import AuditEntry
from backend.platform.db.ticket_models import TicketLink, TicketTransition
from backend.platform.runtime import PlatformRuntime
from backend.platform.services.auth import Staff
from backend.platform.services.tickets import service
from backend.platform.services.tickets.access import Actor
from backend.platform.services.tickets.tree import TicketTree
from backend.platform.services.tickets.views import detail
from backend.shared.errors import AppError
from backend.shared.tickets.config import load_ticket_config
from backend.shared.tickets.workflow import (
    Classify,
    Close,
    Command,
    DecideExtension,
    Dispatch,
    Rate,
    Reply,
    RequestExtension,
    Return,
    Sign,
)

from .conftest import (
    COMMUNITY,
    DISTRICT,
    GRID_1,
    GRID_2,
    STREET,
    act,
    actor,
    apply_events,
    number,
    submitted,
    ticket,
)


@pytest.fixture
def filed(runtime: PlatformRuntime, station: str) -> str:
    apply_events(runtime, [("ticket.submitted", submitted(1))])
    return number(1)


def _refused(runtime: PlatformRuntime, who: Actor, ticket_no: str, command: Command) -> str:
    with pytest.raises(AppError) as refused:
        act(runtime, who, ticket_no, command)
    return refused.value.code


def test_a_ticket_through_the_levels_with_every_step_recorded(runtime: PlatformRuntime, filed: str) -> None:
    community, grid, street = actor(runtime, COMMUNITY, "王社区"), actor(runtime, GRID_1, "李网格"), \
        actor(runtime, STREET, "赵街道")
    act(runtime, community, filed, Classify("property_repairs", "complex"), note="涉及整栋楼")
    act(runtime, community, filed, Dispatch(GRID_1, "", "grid_worker"))
    act(runtime, grid, filed, Sign())
    act(runtime, grid, filed, RequestExtension(5, "需要维修基金审批"))
    assert _refused(runtime, grid, filed, DecideExtension(True)) == "ticket.not_yours"  # not your own
    act(runtime, community, filed, DecideExtension(True))
    act(runtime, grid, filed, Reply("已更换整栋楼的供水管"))
    act(runtime, street, filed, Close("resolved"))  # a level above the community coordinates too
    with runtime.db() as session:
        steps = list(session.scalars(select(TicketTransition).where(TicketTransition.ticket_no == filed)
                                     .order_by(TicketTransition.id)))
        audited = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert [(s.action, s.actor, s.actor_unit, s.to_state) for s in steps] == [
        ("submit", "resident", "", "received"),
        ("classify", "王社区", COMMUNITY, "classified"),
        ("dispatch", "王社区", COMMUNITY, "dispatched"),
        ("sign", "李网格", GRID_1, "in_progress"),
        ("request_extension", "李网格", GRID_1, "in_progress"),
        ("approve_extension", "王社区", COMMUNITY, "in_progress"),
        ("reply", "李网格", GRID_1, "replied"),
        ("close", "赵街道", STREET, "closed"),
    ]
    assert steps[1].note == "涉及整栋楼" and steps[2].detail["level"] == "grid"
    assert all(s.at == runtime.clock.now() for s in steps[1:])
    assert audited == ["ticket.classify", "ticket.dispatch", "ticket.sign", "ticket.request_extension",
                       "ticket.approve_extension", "ticket.reply", "ticket.close"]
    assert [s.words is not None for s in steps] == [True, True, True, True, False, True, True, True]


def test_units_see_only_their_tickets_and_act_only_on_their_part(runtime: PlatformRuntime, filed: str) -> None:
    community, grid1, grid2 = actor(runtime, COMMUNITY), actor(runtime, GRID_1), actor(runtime, GRID_2)
    with runtime.db() as session:
        tree = TicketTree(session)
        with pytest.raises(AppError) as hidden:
            service.visible_ticket(session, filed, grid1)  # not dispatched to grid 1 yet
        assert hidden.value.code == "ticket.not_found"
        with pytest.raises(AppError) as technician:
            Actor.of_staff(Staff(9, "tech", "technician", COMMUNITY), tree)
        assert technician.value.code == "auth.forbidden"
    act(runtime, community, filed, Classify("property_repairs", "normal"))
    assert _refused(runtime, community, filed, Sign()) == "ticket.transition_refused"
    act(runtime, community, filed, Dispatch(GRID_1, "", "grid_worker"))
    assert _refused(runtime, grid2, filed, Sign()) == "ticket.not_found"  # grid 2 cannot even see it
    assert _refused(runtime, grid1, filed, Dispatch(GRID_2, "", "grid_worker")) == "ticket.transition_refused"
    act(runtime, grid1, filed, Sign())
    assert _refused(runtime, grid1, filed, Close("resolved")) == "ticket.not_replied"
    act(runtime, grid1, filed, Reply("已修好"))
    assert _refused(runtime, grid1, filed, Close("resolved")) == "ticket.not_yours"  # the community closes
    with runtime.db() as session:
        view = detail(session, ticket(runtime, filed), actor=grid1, config=load_ticket_config(),
                      now=runtime.clock.now())
        assert view["allowed_actions"] == []
        assert detail(session, ticket(runtime, filed), actor=community, config=load_ticket_config(),
                      now=runtime.clock.now())["allowed_actions"] == ["close"]


@pytest.mark.parametrize(("unit", "who", "code"), [
    ("460108001001", COMMUNITY, "ticket.bad_unit"),  # no such unit
    ("460100", COMMUNITY, "auth.forbidden"),  # the city is above the community's reach
    (DISTRICT, COMMUNITY, "auth.forbidden"),
])
def test_dispatch_targets_are_checked(runtime: PlatformRuntime, filed: str, unit: str, who: str,
                                      code: str) -> None:
    act(runtime, actor(runtime, COMMUNITY), filed, Classify("property_repairs", "normal"))
    assert _refused(runtime, actor(runtime, who), filed, Dispatch(unit, "", "grid_worker")) == code


def test_repeated_returns_go_to_arbitration_at_the_level_above(runtime: PlatformRuntime, filed: str) -> None:
    street, community = actor(runtime, STREET), actor(runtime, COMMUNITY)
    act(runtime, community, filed, Classify("neighbour_dispute", "complex"))
    act(runtime, street, filed, Dispatch(COMMUNITY, "", "mediator"))
    assert ticket(runtime, filed).assigned_level == "community"
    act(runtime, community, filed, Return("not_our_duty"), note="需司法所调解")
    assert ticket(runtime, filed).state == "returned"
    act(runtime, street, filed, Dispatch(COMMUNITY, "", "mediator"))
    act(runtime, community, filed, Return("ownership_unclear"))
    returned = ticket(runtime, filed)
    assert (returned.state, returned.arbitration_unit, returned.returns) == ("arbitration", STREET, 2)
    assert returned.closure is None
    # The community that returned it cannot decide; the street arbitrates.
    assert _refused(runtime, community, filed, Dispatch(COMMUNITY, "", "mediator")) == "ticket.not_yours"
    act(runtime, street, filed, Dispatch(STREET, "", "mediator"))
    assert ticket(runtime, filed).assigned_unit == STREET


def test_a_callback_rating_and_links_between_duplicates(runtime: PlatformRuntime, station: str) -> None:
    apply_events(runtime, [("ticket.submitted", submitted(1)), ("ticket.submitted", submitted(2))])
    community, grid = actor(runtime, COMMUNITY), actor(runtime, GRID_1)
    for who, command in [(community, Classify("property_repairs", "normal")),
                         (community, Dispatch(GRID_1, "", "grid_worker")), (grid, Sign()), (grid, Reply("好了")),
                         (community, Close("resolved")), (community, Rate(5, ("solved",), "callback"))]:
        act(runtime, who, number(1), command)
    assert ticket(runtime, number(1)).state == "rated"
    with runtime.db() as session:
        service.link(session, ticket_no=number(2), other_no=number(1), actor=community, now=runtime.clock.now())
        session.commit()
        assert service.linked(session, number(1)) == [number(2)]
        with pytest.raises(AppError) as twice:
            service.link(session, ticket_no=number(1), other_no=number(2), actor=community, now=runtime.clock.now())
        assert twice.value.code == "ticket.already_linked"
        session.rollback()
        assert len(list(session.scalars(select(TicketLink)))) == 1
        with pytest.raises(AppError) as not_theirs:
            service.link(session, ticket_no=number(1), other_no=number(2), actor=grid, now=runtime.clock.now())
        assert not_theirs.value.code in ("ticket.not_found", "ticket.not_yours")


def test_a_confidential_ticket_hides_the_resident_from_handlers(runtime: PlatformRuntime, station: str) -> None:
    apply_events(runtime, [("ticket.submitted", submitted(3, confidential=True))])
    community, grid = actor(runtime, COMMUNITY), actor(runtime, GRID_1)
    act(runtime, community, number(3), Classify("property_repairs", "normal"))
    act(runtime, community, number(3), Dispatch(GRID_1, "", "grid_worker"))
    with runtime.db() as session:
        found = ticket(runtime, number(3))
        seen_by_grid = detail(session, found, actor=grid, config=load_ticket_config(), now=runtime.clock.now())
        seen_by_community = detail(session, found, actor=community, config=load_ticket_config(),
                                   now=runtime.clock.now())
    assert seen_by_grid["resident"] == {"hidden": True}
    assert seen_by_community["resident"]["name"] == "张三"
