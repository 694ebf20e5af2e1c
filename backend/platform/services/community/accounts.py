"""Open property accounts (信酬制): a compound's monthly ledger, imported from CSV/XLSX, checked
row by row, appended (published months never change: a correction is a new entry naming the one
it corrects) and published to the community's stations, where owners read it."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from backend.shared.community.compounds import compound as find_compound
from backend.shared.community.errors import LEDGER_REJECTED, MONTH_NOT_FOUND
from backend.shared.community.ledger import MAX_ROWS, month_figures, parse_ledger
from backend.shared.community.messages import ACCOUNTS, AccountsMonth
from backend.shared.community.messages import LedgerEntry as EntryMessage
from backend.shared.errors import AppError
from backend.shared.table_file import TableFileError, read_table

from ...db.community_models import LedgerEntry, LedgerImport
from .. import changes

MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


def import_ledger(
    session: Session,
    *,
    compound_code: str,
    month: str,
    data: bytes,
    filename: str,
    by: str,
    now: datetime,
    communities: list[str] | None = None,
) -> dict[str, Any]:
    """Check a ledger file and append its entries to the month, all or nothing; return the report.
    Raise accounts.rejected (with each bad row) when any row is wrong."""
    compound = find_compound(compound_code)
    if communities is not None and compound.community_code not in communities:
        raise AppError(MONTH_NOT_FOUND, detail=compound_code)
    try:
        rows, encoding = read_table(data, filename, max_rows=MAX_ROWS)
    except TableFileError as err:
        raise AppError(
            LEDGER_REJECTED,
            detail=err.reason,
            rejected=[{"line": 0, "column": "", "reason": err.reason, "zh": str(err), "en": str(err)}],
            rejected_count=1,
        ) from err
    published = session.execute(
        select(LedgerEntry.id, LedgerEntry.voucher, LedgerEntry.corrects).where(
            LedgerEntry.compound == compound.code
        )
    ).all()
    corrected = {c for _, _, c in published if c}
    vouchers = {voucher: entry_id in corrected for entry_id, voucher, _ in published}
    parsed = parse_ledger(rows, month=month, published_vouchers=vouchers)
    if not parsed.ok:
        problems = [p.as_dict() for p in parsed.problems] or [
            {
                "line": 1,
                "column": "",
                "reason": "no_rows",
                "zh": "文件中没有账目",
                "en": "the file holds no entries",
            }
        ]
        raise AppError(
            LEDGER_REJECTED, rejected=problems[:200], rejected_count=len(problems), encoding=encoding
        )
    record = LedgerImport(
        id=str(uuid.uuid4()),
        compound=compound.code,
        community_code=compound.community_code,
        month=month,
        filename=filename[:255],
        rows=len(parsed.entries),
        imported_by=by,
        imported_at=now,
    )
    session.add(record)
    ids = dict(
        session.execute(
            select(LedgerEntry.voucher, LedgerEntry.id).where(LedgerEntry.compound == compound.code)
        ).all()
    )
    for entry in parsed.entries:
        new_id = str(uuid.uuid4())
        session.add(
            LedgerEntry(
                id=new_id,
                compound=compound.code,
                community_code=compound.community_code,
                month=month,
                day=entry.date,
                category=entry.category,
                direction=entry.direction,
                amount_cents=int(entry.amount * 100),
                counterparty=entry.counterparty,
                voucher=entry.voucher,
                corrects=ids.get(entry.corrects) if entry.corrects else None,
                import_id=record.id,
                line=entry.line,
            )
        )
        ids[entry.voucher] = new_id
    session.flush()
    cursor = publish_month(session, compound_code=compound.code, month=month, now=now)
    months_after = {
        m
        for (m,) in session.execute(
            select(LedgerEntry.month)
            .where(LedgerEntry.compound == compound.code, LedgerEntry.month > month)
            .distinct()
        )
    }
    for later in sorted(months_after):  # their opening balance moved
        publish_month(session, compound_code=compound.code, month=later, now=now)
    return {
        "import_id": record.id,
        "compound": compound.code,
        "month": month,
        "imported": len(parsed.entries),
        "encoding": encoding,
        "cursor": cursor,
    }


def month_entries(session: Session, compound_code: str, month: str) -> list[dict[str, Any]]:
    rows = list(
        session.scalars(
            select(LedgerEntry)
            .where(LedgerEntry.compound == compound_code, LedgerEntry.month == month)
            .order_by(LedgerEntry.day, LedgerEntry.line, LedgerEntry.id)
        )
    )
    corrected_by = {
        e.corrects: e.id
        for e in session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.compound == compound_code, LedgerEntry.corrects.is_not(None)
            )
        )
    }
    return [
        EntryMessage(
            id=e.id,
            date=e.day,
            category=e.category,
            direction=e.direction,
            amount=_money(e.amount_cents),
            counterparty=e.counterparty,
            voucher=e.voucher,
            corrects=e.corrects,
            corrected_by=corrected_by.get(e.id),
        ).model_dump(mode="json")
        for e in rows
    ]


def opening_balance(session: Session, compound_code: str, month: str) -> Decimal:
    """The balance carried into ``month``: every earlier month's live entries."""
    earlier = session.scalars(
        select(LedgerEntry).where(LedgerEntry.compound == compound_code, LedgerEntry.month < month)
    )
    entries = list(earlier)
    corrected = {
        e.corrects
        for e in session.scalars(
            select(LedgerEntry).where(
                LedgerEntry.compound == compound_code, LedgerEntry.corrects.is_not(None)
            )
        )
    }
    cents = sum(
        (e.amount_cents if e.direction == "income" else -e.amount_cents)
        for e in entries
        if e.id not in corrected
    )
    return Decimal(cents) / 100


def month_document(session: Session, *, compound_code: str, month: str, now: datetime) -> dict[str, Any]:
    compound = find_compound(compound_code)
    entries = month_entries(session, compound_code, month)
    if not entries:
        raise AppError(MONTH_NOT_FOUND, detail=f"{compound_code} {month}")
    imports = [
        {"by": i.imported_by, "at": i.imported_at.isoformat(), "file": i.filename, "rows": str(i.rows)}
        for i in session.scalars(
            select(LedgerImport)
            .where(LedgerImport.compound == compound_code, LedgerImport.month == month)
            .order_by(LedgerImport.imported_at)
        )
    ]
    message = AccountsMonth(
        compound=compound.code,
        community_code=compound.community_code,
        month=month,
        opening_balance=str(opening_balance(session, compound_code, month).quantize(Decimal("0.01"))),
        entries=[EntryMessage(**e) for e in entries],
        imports=imports,
        published_at=now,
    )
    return message.model_dump(mode="json")


def publish_month(session: Session, *, compound_code: str, month: str, now: datetime) -> int:
    """Send the month as it now stands to the stations of the compound's community."""
    document = month_document(session, compound_code=compound_code, month=month, now=now)
    return changes.publish(
        session,
        kind=ACCOUNTS,
        scope=changes.community_scope(document["community_code"]),
        key=f"{compound_code}:{month}",
        payload=document,
        now=now,
        supersede=True,
    )


def months(session: Session, compound_code: str) -> list[dict[str, Any]]:
    """The compound's published months, newest first, with their figures."""
    found = [
        m
        for (m,) in session.execute(
            select(LedgerEntry.month)
            .where(LedgerEntry.compound == compound_code)
            .distinct()
            .order_by(LedgerEntry.month.desc())
        )
    ]
    result = []
    for month in found:
        entries = month_entries(session, compound_code, month)
        figures = month_figures(entries, opening_balance(session, compound_code, month))
        result.append({"month": month, "entries": len(entries), **figures})
    return result


def imports(session: Session, compound_code: str) -> list[dict[str, Any]]:
    return [
        {
            "id": i.id,
            "month": i.month,
            "file": i.filename,
            "rows": i.rows,
            "by": i.imported_by,
            "at": i.imported_at.isoformat(),
        }
        for i in session.scalars(
            select(LedgerImport)
            .where(LedgerImport.compound == compound_code)
            .order_by(LedgerImport.imported_at.desc())
        )
    ]


def _money(cents: int) -> str:
    return str((Decimal(cents) / 100).quantize(Decimal("0.01")))
