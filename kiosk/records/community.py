"""Community life as the station reports it: upcoming activities, the resident's sign-ups, and a
checked-in ticket (GET/POST /api/activities…). Times arrive in the station's zone, already local."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .base import Text


@dataclass(frozen=True)
class Activity:
    id: str
    title: str
    description: str
    place: str
    when_text: str  # "02月12日 09:00", local
    capacity: int
    places_left: int
    waiting: int
    full: bool
    signup_open: bool

    @classmethod
    def parse(cls, body: Any) -> Activity:
        return cls(str(body["id"]), str(body["title"]), str(body.get("description") or ""),
                   str(body["place"]), str(body["when_text"]), int(body["capacity"]),
                   int(body["places_left"]), int(body.get("waiting") or 0), bool(body["full"]),
                   bool(body["signup_open"]))


@dataclass(frozen=True)
class Signup:
    id: str
    activity_id: str
    title: str
    place: str
    starts_at: str  # ISO, local
    state: str  # confirmed | waiting | checked_in | cancelled
    position: int | None  # on the waiting list
    promoted: bool = False
    ticket_token: str = ""

    @classmethod
    def parse(cls, body: Any) -> Signup:
        position = body.get("position")
        return cls(str(body["id"]), str(body["activity_id"]), str(body["title"]), str(body["place"]),
                   str(body["starts_at"]), str(body["state"]),
                   int(position) if position is not None else None, bool(body.get("promoted")),
                   str(body.get("ticket_token") or ""))

    @property
    def when(self) -> str:
        """Month, day and time, as on the slip ("2027-02-12T09:00:00+08:00" -> "02-12 09:00")."""
        return f"{self.starts_at[5:10]} {self.starts_at[11:16]}"


@dataclass(frozen=True)
class CheckIn:
    signup_id: str
    title: str

    @classmethod
    def parse(cls, body: Any) -> CheckIn:
        return cls(str(body["signup_id"]), str(body.get("title") or ""))


@dataclass(frozen=True)
class PublishingCompound:
    """A compound that publishes its accounts (anyone may know that much)."""

    compound: str
    name: Text
    latest_month: str

    @classmethod
    def parse(cls, body: Any) -> PublishingCompound:
        return cls(str(body["compound"]), Text.of(body["name"]), str(body["latest_month"]))


@dataclass(frozen=True)
class CategoryBar:
    direction: str  # income | expense
    category: str  # as the ledger names it
    total: str  # exact decimal text
    bar: int  # 0-20, the largest category is 20

    @classmethod
    def parse(cls, body: Any) -> CategoryBar:
        return cls(str(body["direction"]), str(body["category"]), str(body["total"]),
                   max(0, min(20, int(body["bar"]))))


@dataclass(frozen=True)
class LedgerLine:
    date: str
    category: str
    direction: str
    amount: str
    voucher: str
    corrected: bool  # a later entry corrects this one: it counts no more

    @classmethod
    def parse(cls, body: Any) -> LedgerLine:
        return cls(str(body["date"]), str(body["category"]), str(body["direction"]), str(body["amount"]),
                   str(body["voucher"]), bool(body.get("corrected_by")))


@dataclass(frozen=True)
class AccountsMonth:
    compound: str
    name: Text
    month: str  # YYYY-MM
    income: str
    expense: str
    opening_balance: str
    balance: str
    bars: tuple[CategoryBar, ...]
    entries: tuple[LedgerLine, ...]

    @classmethod
    def parse(cls, body: Any) -> AccountsMonth:
        return cls(str(body["compound"]), Text.of(body["name"]), str(body["month"]), str(body["income"]),
                   str(body["expense"]), str(body["opening_balance"]), str(body["balance"]),
                   tuple(CategoryBar.parse(b) for b in body["by_category"]),
                   tuple(LedgerLine.parse(e) for e in body["entries"]))
