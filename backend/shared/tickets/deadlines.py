"""Deadlines of tickets on the working-day calendar, and where a deadline stands at a moment:
on time, warning (little time left), or escalated after it passed — reminder (催办), supervision
(督办), report to the level above (上报上级)."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import IntEnum

from .config import Span, TicketConfig


class Stage(IntEnum):
    """Where a deadline stands; later stages compare greater."""

    ON_TIME = 0
    WARNING = 1
    REMINDER = 2
    SUPERVISION = 3
    REPORT = 4

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def overdue(self) -> bool:
        return self >= Stage.REMINDER


_STEP_STAGES = {"reminder": Stage.REMINDER, "supervision": Stage.SUPERVISION, "report": Stage.REPORT}


def add_span(config: TicketConfig, start: datetime, span: Span) -> datetime:
    """Return the moment a span after ``start`` ends (working days on the calendar)."""
    if span.hours is not None:
        return start + timedelta(hours=span.hours)
    if span.days is not None:
        return start + timedelta(days=span.days)
    assert span.working_days is not None
    return config.calendar.add_working_days(start, span.working_days)


def reply_due(config: TicketConfig, *, category: str, grade: str, received_at: datetime) -> datetime:
    """When the reply (答复) is due for a ticket received at ``received_at``."""
    return add_span(config, received_at, config.deadline(category, grade))


def sign_due(config: TicketConfig, *, dispatched_at: datetime) -> datetime:
    """When the unit must sign for (签收) a ticket dispatched at ``dispatched_at``."""
    return add_span(config, dispatched_at, config.policy.sign_for)


def rectify_due(config: TicketConfig, *, reopened_at: datetime) -> datetime:
    """When rectification after a bad rating is due."""
    return add_span(config, reopened_at, config.policy.rectification)


def stage_at(config: TicketConfig, *, start: datetime, due: datetime, grade: str | None,
             now: datetime) -> Stage:
    """Where a deadline running from ``start`` to ``due`` stands at ``now``."""
    if now < due:
        left, whole = due - now, due - start
        warn = whole.total_seconds() > 0 and left <= whole * config.policy.escalation.warning_fraction
        return Stage.WARNING if warn else Stage.ON_TIME
    reached = Stage.ON_TIME
    for step in config.policy.escalation.steps:
        if now >= add_span(config, due, step.delay(grade)):
            reached = max(reached, _STEP_STAGES[step.stage])
    return reached
