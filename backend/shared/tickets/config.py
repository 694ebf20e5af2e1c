"""The ticket data files under assets/tickets, read and checked once: categories, policy, the
working-day calendar, classification rules, the dispatch catalogue and landmarks.

A bad file fails loudly at start (``ValueError`` naming the file), never half-way through a
ticket. ``load_ticket_config()`` caches the shipped files; tests and deployments may pass another
folder with the same file names.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import assets

from .calendar import WorkCalendar, parse_calendar

GRADES = ("urgent", "normal", "complex")
LEVELS = ("city", "district", "street", "community", "grid")
Grade = Literal["urgent", "normal", "complex"]


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Words(_Data):
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def as_dict(self) -> dict[str, str]:
        return {"zh": self.zh, "en": self.en}


class Span(_Data):
    """A length of time: clock hours, calendar days or working days (exactly one)."""

    hours: float | None = Field(None, ge=0)
    days: int | None = Field(None, ge=0)
    working_days: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _one(self) -> Span:
        if sum(v is not None for v in (self.hours, self.days, self.working_days)) != 1:
            raise ValueError("give exactly one of hours, days, working_days")
        return self

    def words(self) -> Words:
        if self.hours is not None:
            return Words(zh=f"{self.hours:g}小时", en=f"{self.hours:g} hours")
        if self.days is not None:
            return Words(zh=f"{self.days}天", en=f"{self.days} days")
        return Words(zh=f"{self.working_days}个工作日", en=f"{self.working_days} working days")


class Phrase(Words):
    code: str = Field(pattern=r"^[a-z_]{2,32}$")


class Open311Info(_Data):
    group: str
    keywords: list[str] = Field(default_factory=list)


class Category(_Data):
    code: str = Field(pattern=r"^[a-z_]{2,32}$")
    name: Words
    icon: str = Field(pattern=r"^[a-z0-9_]{2,48}$")
    anonymous: bool
    default_grade: Grade
    deadlines: dict[Grade, Span] = Field(default_factory=dict)
    open311: Open311Info
    phrases: list[Phrase] = Field(min_length=1)

    def phrase(self, code: str) -> Phrase | None:
        return next((p for p in self.phrases if p.code == code), None)


class EscalationStep(_Data):
    stage: Literal["reminder", "supervision", "report"]
    after: Span
    urgent_after: Span | None = None

    def delay(self, grade: str | None) -> Span:
        return self.urgent_after if grade == "urgent" and self.urgent_after else self.after


class Escalation(_Data):
    warning_fraction: float = Field(gt=0, lt=1)
    steps: list[EscalationStep] = Field(min_length=1)


class RatingLevel(_Data):
    code: str
    zh: str
    en: str


class RatingReason(Words):
    tone: Literal["good", "bad"]


class Ratings(_Data):
    levels: dict[int, RatingLevel]
    bad_at_or_below: int = Field(ge=1, le=5)
    reasons: dict[str, RatingReason]

    @model_validator(mode="after")
    def _five(self) -> Ratings:
        if sorted(self.levels) != [1, 2, 3, 4, 5]:
            raise ValueError("ratings need exactly the levels 1 to 5")
        return self


class ExtensionRule(_Data):
    max_working_days: int = Field(ge=1)
    max_times: int = Field(ge=1)


class Policy(_Data):
    grades: dict[Grade, Words]
    default_deadlines: dict[Grade, Span]
    sign_for: Span
    extension: ExtensionRule
    arbitration_after_returns: int = Field(ge=1)
    rectification: Span
    duplicate_window_days: int = Field(ge=1)
    escalation: Escalation
    levels: dict[str, Words]
    roles: dict[str, Words]
    return_reasons: dict[str, Words]
    closures: dict[str, Words]
    unresolved_reasons: dict[str, Words]
    ratings: Ratings


class DispatchRule(_Data):
    category: str = "*"
    area: str = ""
    grade: Grade | None = None
    place: Literal["building", "public"] | None = None
    level: Literal["city", "district", "street", "community", "grid"]
    role: str
    unit: str | None = None


class Landmark(Words):
    code: str = Field(pattern=r"^[a-z0-9_]{2,32}$")
    grid: str | None = None


class ClassificationRules(_Data):
    choice_weight: int = Field(ge=0)
    categories: dict[str, list[str]]
    grades: dict[Literal["urgent", "complex"], list[str]]


class TicketConfig(BaseModel):
    """Everything the ticket domain reads from data."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    categories: list[Category]
    policy: Policy
    calendar: WorkCalendar
    classification: ClassificationRules
    dispatch: list[DispatchRule]
    landmarks: dict[str, list[Landmark]]

    def category(self, code: str) -> Category | None:
        return next((c for c in self.categories if c.code == code), None)

    def deadline(self, category: str, grade: str) -> Span:
        """The reply deadline of a category at a grade (the category's own, else the default)."""
        found = self.category(category)
        own = found.deadlines.get(grade) if found else None  # type: ignore[call-overload]
        return own or self.policy.default_deadlines[grade]  # type: ignore[index]

    def landmark(self, community: str, code: str) -> Landmark | None:
        return next((m for m in self.landmarks.get(community, []) if m.code == code), None)


def _read(folder: Path, name: str) -> Any:
    path = folder / name
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise ValueError(f"{path}: {err}") from err


def parse_ticket_config(folder: Path) -> TicketConfig:
    """Read and check the ticket data files of a folder."""
    try:
        categories = [Category.model_validate(c) for c in _read(folder, "categories.yaml")["categories"]]
        policy = Policy.model_validate(_read(folder, "policy.yaml"))
        rules = ClassificationRules.model_validate(_read(folder, "classification.yaml"))
        dispatch = [DispatchRule.model_validate(r) for r in _read(folder, "dispatch.yaml")["rules"]]
        landmarks = {str(k): [Landmark.model_validate(m) for m in v]
                     for k, v in (_read(folder, "landmarks.yaml") or {}).items()}
    except (ValidationError, KeyError, TypeError) as err:
        raise ValueError(f"ticket data in {folder} is not valid: {err}") from err
    config = TicketConfig(categories=categories, policy=policy,
                          calendar=parse_calendar(_read(folder, "calendar.yaml"), source=str(folder)),
                          classification=rules, dispatch=dispatch, landmarks=landmarks)
    _check_references(config)
    return config


def _check_references(config: TicketConfig) -> None:
    codes = {c.code for c in config.categories}
    if len(codes) != len(config.categories):
        raise ValueError("ticket categories: a code is used twice")
    unknown = set(config.classification.categories) - codes
    unknown |= {r.category for r in config.dispatch if r.category != "*"} - codes
    if unknown:
        raise ValueError(f"ticket data names unknown categories: {sorted(unknown)}")
    roles = {r.role for r in config.dispatch} - set(config.policy.roles)
    if roles:
        raise ValueError(f"dispatch catalogue names unknown roles: {sorted(roles)}")
    if not any(r.category == "*" and not r.area for r in config.dispatch):
        raise ValueError("the dispatch catalogue needs a last rule for every category ('*')")


@lru_cache(maxsize=4)
def load_ticket_config(folder: Path | None = None) -> TicketConfig:
    """Return the ticket configuration of a folder (default: the shipped assets/tickets)."""
    return parse_ticket_config(folder or assets.path("tickets"))
