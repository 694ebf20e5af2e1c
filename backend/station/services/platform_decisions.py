"""Applying a staff decision made on the platform to an application submitted here.

The decision arrives as an ``application`` change and is applied inside the page's transaction
(so exactly once, with the cursor). A decision the station already made stands: the same one is
``already_applied``, the other one a ``conflict``. A decision that cannot be applied (the
resident left the register, the type is no longer offered) leaves the application pending and
is reported ``failed``. Whatever happens, the station reports it up as
``application.platform_decision``; nothing half-done is kept (a savepoint wraps the decision).
"""

from __future__ import annotations

import logging
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy.orm import Session

from backend.shared.applications import (
    PLATFORM_ACTOR_PREFIX,
    DecisionReport,
    Outcome,
    PlatformDecision,
)
from backend.shared.catalog import Catalog
from backend.shared.errors import AppError
from backend.shared.protocol import EventType

from ..db.models import Application
from . import outbox
from .applications import Decision, decide_in_session
from .issuing import IssuerContext

log = logging.getLogger(__name__)
REPORT_EVENT = EventType.APPLICATION_PLATFORM_DECISION


def apply_platform_decision(session: Session, *, ctx: IssuerContext, catalog: Catalog,
                            payload: dict[str, object], now: datetime) -> DecisionReport | None:
    """Decide an application as the platform says, in the caller's transaction; report the outcome."""
    try:
        decision = PlatformDecision.model_validate(payload)
    except ValidationError:
        log.warning("ignoring a malformed application decision from the platform")
        return None
    report = _apply(session, ctx, catalog, decision, now)
    if report.outcome is not Outcome.APPLIED:
        log.warning("platform decision on application %s: %s (%s)", decision.id, report.outcome.value,
                    report.code or report.state)
    outbox.record(session, event_type=REPORT_EVENT, aggregate_id=decision.id,
                  payload=report.model_dump(mode="json"), at=now)
    return report


def _apply(session: Session, ctx: IssuerContext, catalog: Catalog, decision: PlatformDecision,
           now: datetime) -> DecisionReport:
    application = session.get(Application, decision.id)
    if application is None:
        return DecisionReport(id=decision.id, outcome=Outcome.UNKNOWN, state="")
    if application.state != "applied":
        same = (application.state == "approved") == decision.approve
        return _report(application, Outcome.ALREADY_APPLIED if same else Outcome.CONFLICT)
    staff = f"{PLATFORM_ACTOR_PREFIX}{decision.staff}"[:64]
    try:
        with session.begin_nested():  # a refusal undoes only this decision, not the page
            decide_in_session(session, ctx=ctx, catalog=catalog, application=application,
                              decision=Decision(decision.approve, staff, decision.reason), now=now)
    except AppError as err:
        session.refresh(application)
        return _report(application, Outcome.FAILED, code=err.code)
    return _report(application, Outcome.APPLIED)


def _report(application: Application, outcome: Outcome, *, code: str = "") -> DecisionReport:
    return DecisionReport(id=application.id, outcome=outcome, state=application.state, code=code,
                          certificate_id=application.certificate_id)
