"""Applications for certificates a staff member must approve, as station and platform share them:
the error codes both raise, the platform's decision sent down to the station (change kind
``application``) and the station's report of what became of it (event
``application.platform_decision``).

A station's own decisions travel up as ``application.decided``; a platform decision reaches the
station as a change, which it applies once. If the station had decided already (its staff API),
its decision stands: the report says ``already_applied`` (same way) or ``conflict`` (the other
way), and the platform takes the station's state.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from .errors import define

APPLICATION_NOT_FOUND = define("application.not_found", 404, "没有找到这份申请。",
                               "This application was not found.")
ALREADY_DECIDED = define("application.already_decided", 409, "这份申请已经审核过了。",
                         "This application has already been decided.")
REASON_REQUIRED = define("application.reason_required", 422, "不予通过时请填写理由。",
                         "Give a reason when rejecting an application.")

PLATFORM_ACTOR_PREFIX = "platform:"  # a station records a platform decision's staff as platform:<user>


class Outcome(StrEnum):
    """What a station made of a platform decision."""

    APPLIED = "applied"  # decided as the platform said (approved: the certificate is issued)
    ALREADY_APPLIED = "already_applied"  # the station had decided the same way already
    CONFLICT = "conflict"  # the station had decided the other way; its decision stands
    FAILED = "failed"  # could not be applied (e.g. the resident left the register); still pending
    UNKNOWN = "unknown"  # the station has no such application


class PlatformDecision(BaseModel):
    """The payload of an ``application`` change, scoped to the station the application came from."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=36)
    approve: bool
    reason: str = Field(default="", max_length=255)
    staff: str = Field(min_length=1, max_length=64)
    decided_at: datetime


class DecisionReport(BaseModel):
    """The payload of ``application.platform_decision``: the station's answer to a decision."""

    model_config = ConfigDict(extra="ignore")

    id: str
    outcome: Outcome
    state: str  # the application's state at the station afterwards
    code: str = ""  # the error code when the outcome is failed
    certificate_id: str | None = None
