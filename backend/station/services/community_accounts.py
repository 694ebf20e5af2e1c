"""Open property accounts at the kiosk: every resident learns which compounds publish their
accounts; an owner of a unit in a compound (a resident the register puts in one of its buildings)
sees its months: totals by category with bars, the entries, the balance, a printable statement."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.compounds import compounds_of
from backend.shared.community.errors import MONTH_NOT_FOUND, NOT_OWNER
from backend.shared.community.ledger import month_figures, statement_lines
from backend.shared.community.messages import AccountsMonth
from backend.shared.errors import AppError
from backend.shared.privacy import IdProtector

from ..db.community_models import LocalAccountsMonth
from .community_residents import member
from .sessions import Identity


def apply_month(session: Session, payload: dict[str, Any], *, now: datetime) -> None:
    document = AccountsMonth.model_validate(payload)
    row = session.scalar(
        select(LocalAccountsMonth).where(
            LocalAccountsMonth.compound == document.compound, LocalAccountsMonth.month == document.month
        )
    )
    if row is None:
        row = LocalAccountsMonth(compound=document.compound, month=document.month)
        session.add(row)
    row.payload, row.updated_at = document.model_dump(mode="json"), now


def publishing(session: Session, *, community_code: str) -> list[dict[str, Any]]:
    """What anyone may learn: which compounds publish their accounts, and their latest month."""
    result = []
    for compound in compounds_of(community_code):
        months = sorted(
            session.scalars(
                select(LocalAccountsMonth.month).where(LocalAccountsMonth.compound == compound.code)
            ),
            reverse=True,
        )
        if months:
            result.append(
                {
                    "compound": compound.code,
                    "name": {"zh": compound.zh, "en": compound.en},
                    "publishes": True,
                    "latest_month": months[0],
                }
            )
    return result


def owner_compound(
    session: Session, identity: Identity, *, community_code: str, protector: IdProtector, compound_code: str
) -> None:
    """Refuse anyone but an owner in this compound (accounts.not_owner)."""
    found = member(session, identity, community_code=community_code, protector=protector)
    if found is None or found.compound is None or found.compound.code != compound_code:
        raise AppError(NOT_OWNER)


def months(session: Session, compound_code: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(LocalAccountsMonth)
        .where(LocalAccountsMonth.compound == compound_code)
        .order_by(LocalAccountsMonth.month.desc())
    )
    return [{"month": r.month, **_figures(r.payload)} for r in rows]


def month(session: Session, compound_code: str, month_text: str) -> dict[str, Any]:
    """A month in full: figures, entries, who imported it when, and the statement's lines."""
    row = session.scalar(
        select(LocalAccountsMonth).where(
            LocalAccountsMonth.compound == compound_code, LocalAccountsMonth.month == month_text
        )
    )
    if row is None:
        raise AppError(MONTH_NOT_FOUND)
    figures = _figures(row.payload)
    compound = find_compound(compound_code)
    lines = statement_lines(
        compound_name=compound.zh, month=month_text, figures=figures, entries=row.payload["entries"]
    )
    return {
        "compound": compound_code,
        "name": {"zh": compound.zh, "en": compound.en},
        "month": month_text,
        **figures,
        "entries": row.payload["entries"],
        "imports": row.payload["imports"],
        "statement": lines,
    }


def _figures(payload: dict[str, Any]) -> dict[str, Any]:
    return month_figures(payload["entries"], Decimal(payload["opening_balance"]))
