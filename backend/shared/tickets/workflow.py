"""The ticket workflow of a 12345 hotline (GB/T 33358 practice) as an explicit state machine.

    received ─classify→ classified ─dispatch→ dispatched ─sign→ in_progress ─reply→ replied
        ─close→ closed ─rate→ rated
    dispatched ─return→ returned ─dispatch→ …   (the Nth return → arbitration at the level above)
    in_progress: extension asked → approved/rejected by the level above (no state change)
    closed ─bad rating→ rectifying ─reply→ replied ─close→ closed ─follow-up rating→ rated

``step`` is pure: it takes a snapshot of a ticket and a command and returns the next snapshot
and the record of the transition, or raises ``AppError`` with a stable code and changes nothing.
Who may do it (units, roles) is the platform's business; what may happen is decided here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from backend.shared.errors import AppError

from . import deadlines, errors
from .config import GRADES, LEVELS, TicketConfig
from .deadlines import Stage
from .text import clean_text


class State(StrEnum):
    RECEIVED = "received"  # 受理
    CLASSIFIED = "classified"  # 分类分级
    DISPATCHED = "dispatched"  # 派单, waiting to be signed for
    RETURNED = "returned"  # 退单, waiting to be dispatched again
    ARBITRATION = "arbitration"  # repeated returns: the level above decides
    IN_PROGRESS = "in_progress"  # 签收, being handled
    REPLIED = "replied"  # 答复
    CLOSED = "closed"  # 办结, waiting for the rating
    RECTIFYING = "rectifying"  # reopened after a bad rating (整改)
    RATED = "rated"  # 评价, finished


class Action(StrEnum):
    SUBMIT = "submit"
    CLASSIFY = "classify"
    DISPATCH = "dispatch"
    SIGN = "sign"
    RETURN = "return"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    REJECT_EXTENSION = "reject_extension"
    REPLY = "reply"
    CLOSE = "close"
    RATE = "rate"
    ESCALATE = "escalate"
    LINK = "link"  # recorded by the platform, no state change


S = State
OPEN_STATES = frozenset({S.RECEIVED, S.CLASSIFIED, S.DISPATCHED, S.RETURNED, S.ARBITRATION,
                         S.IN_PROGRESS, S.RECTIFYING})
SIGNED_STATES = frozenset({S.IN_PROGRESS, S.REPLIED, S.CLOSED, S.RECTIFYING, S.RATED})
# Where each action may start (RATE, RETURN and CLASSIFY choose their target below).
ALLOWED: dict[Action, frozenset[State]] = {
    Action.CLASSIFY: frozenset({S.RECEIVED, S.CLASSIFIED, S.RETURNED, S.ARBITRATION}),
    Action.DISPATCH: frozenset({S.CLASSIFIED, S.RETURNED, S.ARBITRATION}),
    Action.SIGN: frozenset({S.DISPATCHED}),
    Action.RETURN: frozenset({S.DISPATCHED}),
    Action.REQUEST_EXTENSION: frozenset({S.IN_PROGRESS, S.RECTIFYING}),
    Action.APPROVE_EXTENSION: frozenset({S.IN_PROGRESS, S.RECTIFYING}),
    Action.REJECT_EXTENSION: frozenset({S.IN_PROGRESS, S.RECTIFYING}),
    Action.REPLY: frozenset({S.IN_PROGRESS, S.RECTIFYING}),
    Action.CLOSE: frozenset({S.REPLIED}),
    Action.RATE: frozenset({S.CLOSED}),
    Action.ESCALATE: OPEN_STATES,
}


@dataclass(frozen=True)
class TicketSnapshot:
    """What the workflow reads and writes of a ticket (the platform's row has the same names)."""

    state: State
    category: str
    received_at: datetime
    grade: str | None = None
    assigned_unit: str | None = None
    assigned_level: str | None = None
    assigned_role: str | None = None
    arbitration_unit: str | None = None
    returns: int = 0
    extension: dict[str, Any] | None = None  # the pending request: working_days, reason, at
    extensions_granted: int = 0
    reply_due: datetime | None = None
    sign_due: datetime | None = None
    rectify_due: datetime | None = None
    dispatched_at: datetime | None = None
    signed_at: datetime | None = None
    replied_at: datetime | None = None
    closed_at: datetime | None = None
    reopened_at: datetime | None = None
    reply_text: str = ""
    closure: str | None = None
    closure_reason: str | None = None
    ratings: int = 0
    last_rating: int | None = None
    sign_late: bool = False
    reply_late: bool = False
    escalation: dict[str, int] = field(default_factory=dict)  # deadline kind -> Stage reached


FIELDS = tuple(TicketSnapshot.__dataclass_fields__)


@dataclass(frozen=True)
class Record:
    """One transition: what happened, from which state to which, when, and its facts."""

    action: Action
    from_state: State | None
    to_state: State
    at: datetime
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Step:
    after: TicketSnapshot
    record: Record


# ---- commands -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Classify:
    category: str
    grade: str


@dataclass(frozen=True)
class Dispatch:
    unit: str
    level: str
    role: str


@dataclass(frozen=True)
class Sign:
    pass


@dataclass(frozen=True)
class Return:
    reason: str
    arbitration_unit: str | None = None  # the level above the returning unit (the platform knows)


@dataclass(frozen=True)
class RequestExtension:
    working_days: int
    reason: str


@dataclass(frozen=True)
class DecideExtension:
    approve: bool


@dataclass(frozen=True)
class Reply:
    text: str


@dataclass(frozen=True)
class Close:
    outcome: str  # resolved | unresolved
    reason: str | None = None  # for unresolved: one of the policy's unresolved_reasons


@dataclass(frozen=True)
class Rate:
    level: int
    reasons: tuple[str, ...] = ()
    channel: str = "kiosk"  # kiosk | callback | open311


@dataclass(frozen=True)
class Escalate:
    kind: str  # sign | reply | rectify
    stage: Stage
    to_unit: str | None = None  # for a report: the level above, which the platform knows


Command = Classify | Dispatch | Sign | Return | RequestExtension | DecideExtension | Reply | Close | Rate \
    | Escalate


def action_of(command: Command) -> Action:
    """The action a command performs."""
    if isinstance(command, DecideExtension):
        return Action.APPROVE_EXTENSION if command.approve else Action.REJECT_EXTENSION
    return _ACTIONS[type(command)]


def submitted(*, category: str, received_at: datetime, grade: str, config: TicketConfig) -> Step:
    """The first snapshot of a ticket: received, its reply clock running from receipt."""
    snapshot = TicketSnapshot(state=S.RECEIVED, category=category, received_at=received_at,
                              reply_due=deadlines.reply_due(config, category=category, grade=grade,
                                                            received_at=received_at))
    return Step(snapshot, Record(Action.SUBMIT, None, S.RECEIVED, received_at, {"grade": grade}))


def step(ticket: TicketSnapshot, command: Command, *, config: TicketConfig, now: datetime) -> Step:
    """Apply a command to a ticket; raise AppError (nothing changed) if it is not allowed."""
    action = action_of(command)
    check_allowed(action, ticket.state)
    after, detail = _HANDLERS[type(command)](ticket, command, config, now)
    return Step(after, Record(action, ticket.state, after.state, now, detail))


def check_allowed(action: Action, state: State) -> None:
    """Raise the refusal (nothing changes) if an action cannot start in a state."""
    if state not in ALLOWED[action]:
        raise AppError(refusal(action, state), detail=f"{action.value} in {state.value}",
                       state=state.value, action=action.value)


def refusal(action: Action, state: State) -> str:
    """The error code that says why an action is not possible in a state."""
    if action is Action.RATE:
        return errors.ALREADY_RATED if state is S.RATED else errors.NOT_CLOSED
    if action is Action.DISPATCH and state is S.RECEIVED:
        return errors.NOT_CLASSIFIED
    if action in (Action.REPLY, Action.CLOSE) and state not in SIGNED_STATES:
        return errors.NOT_SIGNED
    if action is Action.CLOSE and state in (S.IN_PROGRESS, S.RECTIFYING):
        return errors.NOT_REPLIED
    return errors.TRANSITION_REFUSED


def deadline_kind(state: State) -> str | None:
    """Which deadline runs in a state: sign, reply, rectify, or none."""
    if state is S.DISPATCHED:
        return "sign"
    if state is S.RECTIFYING:
        return "rectify"
    return "reply" if state in OPEN_STATES else None


def current_deadline(ticket: TicketSnapshot) -> tuple[str, datetime, datetime] | None:
    """(kind, start, due) of the deadline running now, if any."""
    kind = deadline_kind(ticket.state)
    spans = {"sign": (ticket.dispatched_at, ticket.sign_due),
             "reply": (ticket.received_at, ticket.reply_due),
             "rectify": (ticket.reopened_at, ticket.rectify_due)}
    if kind is None:
        return None
    start, due = spans[kind]
    return (kind, start, due) if start is not None and due is not None else None


# ---- handlers: (ticket, command, config, now) -> (after, detail) ----------------------------------

Outcome = tuple[TicketSnapshot, dict[str, Any]]


def _classify(t: TicketSnapshot, c: Classify, config: TicketConfig, now: datetime) -> Outcome:
    if config.category(c.category) is None:
        raise AppError(errors.UNKNOWN_CATEGORY, detail=c.category[:32])
    if c.grade not in GRADES:
        raise AppError(errors.BAD_GRADE, detail=c.grade[:16])
    due = deadlines.reply_due(config, category=c.category, grade=c.grade, received_at=t.received_at)
    state = S.CLASSIFIED if t.state in (S.RECEIVED, S.CLASSIFIED) else t.state
    after = replace(t, state=state, category=c.category, grade=c.grade, reply_due=due)
    return after, {"category": c.category, "grade": c.grade, "reply_due": due.isoformat()}


def _dispatch(t: TicketSnapshot, c: Dispatch, config: TicketConfig, now: datetime) -> Outcome:
    if c.role not in config.policy.roles:
        raise AppError(errors.BAD_ROLE, detail=c.role[:32])
    if c.level not in LEVELS:
        raise AppError(errors.BAD_UNIT, detail=c.level[:16])
    due = deadlines.sign_due(config, dispatched_at=now)
    after = replace(t, state=S.DISPATCHED, assigned_unit=c.unit, assigned_level=c.level,
                    assigned_role=c.role, arbitration_unit=None, dispatched_at=now, sign_due=due,
                    escalation={**t.escalation, "sign": 0})
    return after, {"unit": c.unit, "level": c.level, "role": c.role, "sign_due": due.isoformat()}


def _sign(t: TicketSnapshot, _c: Sign, config: TicketConfig, now: datetime) -> Outcome:
    late = t.sign_due is not None and now > t.sign_due
    after = replace(t, state=S.IN_PROGRESS, signed_at=now, sign_late=t.sign_late or late)
    return after, {"unit": t.assigned_unit, "on_time": not late}


def _return(t: TicketSnapshot, c: Return, config: TicketConfig, now: datetime) -> Outcome:
    if c.reason not in config.policy.return_reasons:
        raise AppError(errors.BAD_REASON, detail=c.reason[:32])
    returns = t.returns + 1
    arbitrate = returns >= config.policy.arbitration_after_returns
    arbitration_unit = (c.arbitration_unit or t.assigned_unit) if arbitrate else None
    after = replace(t, state=S.ARBITRATION if arbitrate else S.RETURNED, returns=returns,
                    assigned_unit=None, assigned_level=None, assigned_role=None,
                    arbitration_unit=arbitration_unit)
    return after, {"reason": c.reason, "unit": t.assigned_unit, "returns": returns,
                   "arbitration_unit": arbitration_unit}


def _request_extension(t: TicketSnapshot, c: RequestExtension, config: TicketConfig,
                       now: datetime) -> Outcome:
    if t.extension is not None:
        raise AppError(errors.EXTENSION_PENDING)
    rule = config.policy.extension
    if t.extensions_granted >= rule.max_times or not 1 <= c.working_days <= rule.max_working_days:
        raise AppError(errors.EXTENSION_LIMIT, detail=f"{c.working_days} working days")
    reason = clean_text(c.reason, max_length=500)
    request = {"working_days": c.working_days, "reason": reason, "at": now.isoformat(),
               "unit": t.assigned_unit}
    return replace(t, extension=request), {"working_days": c.working_days, "reason": reason}


def _decide_extension(t: TicketSnapshot, c: DecideExtension, config: TicketConfig,
                      now: datetime) -> Outcome:
    if t.extension is None:
        raise AppError(errors.NO_EXTENSION)
    days = int(t.extension["working_days"])
    if not c.approve:
        return replace(t, extension=None), {"working_days": days, "approved": False}
    kind = "rectify" if t.state is S.RECTIFYING else "reply"
    due = t.rectify_due if kind == "rectify" else t.reply_due
    assert due is not None
    new_due = config.calendar.add_working_days(due, days)
    after = replace(t, extension=None, extensions_granted=t.extensions_granted + 1,
                    escalation={**t.escalation, kind: 0})
    after = replace(after, rectify_due=new_due) if kind == "rectify" else replace(after, reply_due=new_due)
    return after, {"working_days": days, "approved": True, "due": new_due.isoformat()}


def _reply(t: TicketSnapshot, c: Reply, config: TicketConfig, now: datetime) -> Outcome:
    text = clean_text(c.text, max_length=2000)
    due = t.rectify_due if t.state is S.RECTIFYING else t.reply_due
    late = due is not None and now > due
    after = replace(t, state=S.REPLIED, replied_at=now, reply_text=text, extension=None,
                    reply_late=t.reply_late or late)
    return after, {"text": text, "on_time": not late}


def _close(t: TicketSnapshot, c: Close, config: TicketConfig, now: datetime) -> Outcome:
    if c.outcome not in config.policy.closures:
        raise AppError(errors.BAD_REASON, detail=c.outcome[:32])
    if c.reason is not None and (c.outcome != "unresolved" or c.reason not in
                                 config.policy.unresolved_reasons):
        raise AppError(errors.BAD_REASON, detail=c.reason[:32])
    after = replace(t, state=S.CLOSED, closed_at=now, closure=c.outcome, closure_reason=c.reason)
    return after, {"outcome": c.outcome, "reason": c.reason}


def _rate(t: TicketSnapshot, c: Rate, config: TicketConfig, now: datetime) -> Outcome:
    ratings = config.policy.ratings
    if c.level not in ratings.levels:
        raise AppError(errors.BAD_RATING, detail=str(c.level)[:8])
    unknown = [r for r in c.reasons if r not in ratings.reasons]
    if unknown or len(set(c.reasons)) != len(c.reasons):
        raise AppError(errors.BAD_REASON, detail=",".join(unknown)[:64])
    follow_up = t.reopened_at is not None
    reopen = not follow_up and c.level <= ratings.bad_at_or_below
    detail = {"level": c.level, "reasons": list(c.reasons), "channel": c.channel,
              "follow_up": follow_up, "reopened": reopen}
    if reopen:
        due = deadlines.rectify_due(config, reopened_at=now)
        detail["rectify_due"] = due.isoformat()
        return replace(t, state=S.RECTIFYING, ratings=t.ratings + 1, last_rating=c.level,
                       reopened_at=now, rectify_due=due, escalation={**t.escalation, "rectify": 0}), detail
    return replace(t, state=S.RATED, ratings=t.ratings + 1, last_rating=c.level), detail


def _escalate(t: TicketSnapshot, c: Escalate, config: TicketConfig, now: datetime) -> Outcome:
    current = t.escalation.get(c.kind, 0)
    if deadline_kind(t.state) != c.kind or c.stage <= current:
        raise AppError(errors.TRANSITION_REFUSED, detail=f"escalate {c.kind} to {c.stage.code}")
    after = replace(t, escalation={**t.escalation, c.kind: int(c.stage)})
    return after, {"kind": c.kind, "stage": c.stage.code, "overdue": c.stage.overdue, "to_unit": c.to_unit}


_ACTIONS: dict[type, Action] = {Classify: Action.CLASSIFY, Dispatch: Action.DISPATCH, Sign: Action.SIGN,
                                Return: Action.RETURN, RequestExtension: Action.REQUEST_EXTENSION,
                                Reply: Action.REPLY, Close: Action.CLOSE, Rate: Action.RATE,
                                Escalate: Action.ESCALATE}
_HANDLERS: dict[type, Callable[[Any, Any, TicketConfig, datetime], Outcome]] = {
    Classify: _classify, Dispatch: _dispatch, Sign: _sign, Return: _return,
    RequestExtension: _request_extension, DecideExtension: _decide_extension, Reply: _reply,
    Close: _close, Rate: _rate, Escalate: _escalate,
}
