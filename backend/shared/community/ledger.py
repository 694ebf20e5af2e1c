"""A compound's monthly ledger (信酬制 open accounts): reading an import, checking every row, and
the month's figures. Amounts are ``Decimal`` with two places from the text to the total — a
float never touches them (a cell Excel stored as a number arrives as its shortest text).

An import is all or nothing: any bad row refuses the file, and the report names each bad row
(its line in the file, the column, a stable reason, words in zh and en).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1000000000")
MAX_ROWS = 5000
# Header names as a property company's spreadsheet may write them → our field.
HEADERS = {
    "date": "date",
    "日期": "date",
    "category": "category",
    "类别": "category",
    "科目": "category",
    "direction": "direction",
    "收支": "direction",
    "收入/支出": "direction",
    "amount": "amount",
    "金额": "amount",
    "counterparty": "counterparty",
    "对方": "counterparty",
    "对方单位": "counterparty",
    "voucher": "voucher",
    "凭证号": "voucher",
    "corrects": "corrects",
    "更正凭证号": "corrects",
}
REQUIRED = ("date", "category", "direction", "amount", "voucher")
DIRECTIONS = {
    "income": "income",
    "收入": "income",
    "收": "income",
    "expense": "expense",
    "支出": "expense",
    "支": "expense",
}
REASONS = {
    "missing_column": ("缺少必需的列", "a required column is missing"),
    "empty": ("不能为空", "must not be empty"),
    "bad_date": ("日期格式应为 2026-01-31", "a date is written like 2026-01-31"),
    "other_month": ("日期不在导入的月份内", "the date is not in the month imported"),
    "bad_direction": ("应为“收入”或“支出”", "must be income or expense (收入/支出)"),
    "bad_amount": ("金额应为正数，最多两位小数", "an amount is a positive number with at most two decimals"),
    "too_long": ("内容过长", "too long"),
    "duplicate_voucher": ("凭证号重复", "the voucher number is used twice"),
    "unknown_correction": (
        "要更正的凭证号不存在或已被更正",
        "the voucher to correct does not exist or is corrected already",
    ),
    "no_rows": ("文件中没有账目", "the file holds no entries"),
}
LIMITS = {"category": 32, "counterparty": 64, "voucher": 32, "corrects": 32}


@dataclass(frozen=True)
class RowProblem:
    line: int  # the file's line (the header is line 1)
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        zh, en = REASONS[self.reason]
        return {"line": self.line, "column": self.column, "reason": self.reason, "zh": zh, "en": en}


@dataclass(frozen=True)
class ParsedEntry:
    line: int
    date: date
    category: str
    direction: str
    amount: Decimal
    counterparty: str
    voucher: str
    corrects: str  # a voucher number, "" when the entry corrects nothing


@dataclass
class ParsedLedger:
    entries: list[ParsedEntry] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.entries)


def parse_amount(text: str) -> Decimal | None:
    """The amount as an exact positive Decimal with at most two places (1,234.50 and ¥ allowed)."""
    cleaned = text.strip().replace(",", "").replace("，", "").lstrip("¥￥").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value <= 0 or value >= MAX_AMOUNT or value != value.quantize(CENT):
        return None
    return value.quantize(CENT)


def parse_ledger(
    rows: list[dict[str, str]], *, month: str, published_vouchers: Mapping[str, bool]
) -> ParsedLedger:
    """Check an import's rows for ``month`` (YYYY-MM). ``published_vouchers``: the compound's
    voucher numbers already published → whether that entry is corrected already."""
    result = ParsedLedger()
    named = [
        {
            HEADERS.get(k.strip().lower(), HEADERS.get(k.strip(), "")): (v or "").strip()
            for k, v in row.items()
            if k
        }
        for row in rows
    ]
    present = set().union(*(r.keys() for r in named)) if named else set()
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        result.problems += [RowProblem(1, c, "missing_column") for c in missing]
        return result
    if not named:
        result.problems.append(RowProblem(1, "", "no_rows"))
        return result
    seen: set[str] = set()
    corrected: set[str] = set()
    for number, row in enumerate(named, start=2):
        entry = _entry(number, row, month, result.problems)
        if entry is None:
            continue
        if entry.voucher in seen or entry.voucher in published_vouchers:
            result.problems.append(RowProblem(number, "voucher", "duplicate_voucher"))
            continue
        if entry.corrects and (published_vouchers.get(entry.corrects, True) or entry.corrects in corrected):
            result.problems.append(RowProblem(number, "corrects", "unknown_correction"))
            continue
        seen.add(entry.voucher)
        if entry.corrects:
            corrected.add(entry.corrects)
        result.entries.append(entry)
    return result


def _entry(number: int, row: dict[str, str], month: str, problems: list[RowProblem]) -> ParsedEntry | None:
    before = len(problems)
    for column in REQUIRED:
        if not row.get(column):
            problems.append(RowProblem(number, column, "empty"))
    for column, limit in LIMITS.items():
        if len(row.get(column, "")) > limit:
            problems.append(RowProblem(number, column, "too_long"))
    day = _date(row.get("date", ""))
    if row.get("date") and day is None:
        problems.append(RowProblem(number, "date", "bad_date"))
    elif day is not None and day.strftime("%Y-%m") != month:
        problems.append(RowProblem(number, "date", "other_month"))
    direction = DIRECTIONS.get(row.get("direction", "").strip().lower())
    if row.get("direction") and direction is None:
        problems.append(RowProblem(number, "direction", "bad_direction"))
    amount = parse_amount(row.get("amount", "")) if row.get("amount") else None
    if row.get("amount") and amount is None:
        problems.append(RowProblem(number, "amount", "bad_amount"))
    if len(problems) > before or day is None or direction is None or amount is None:
        return None
    return ParsedEntry(
        number,
        day,
        row["category"],
        direction,
        amount,
        row.get("counterparty", ""),
        row["voucher"],
        row.get("corrects", ""),
    )


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip().replace("/", "-")[:10])
    except ValueError:
        return None


# ---- a month's figures -------------------------------------------------------------------------------


def money(value: Decimal) -> str:
    return str(value.quantize(CENT))


def month_figures(entries: Iterable[Mapping[str, Any]], opening_balance: Decimal) -> dict[str, Any]:
    """Totals by category and direction, the month's net and the closing balance. An entry a
    later one corrects counts no more: its correction counts instead."""
    live = [e for e in entries if not e.get("corrected_by")]
    categories: dict[tuple[str, str], Decimal] = {}
    income = expense = Decimal("0.00")
    for e in live:
        amount = Decimal(str(e["amount"]))
        key = (str(e["direction"]), str(e["category"]))
        categories[key] = categories.get(key, Decimal("0.00")) + amount
        if e["direction"] == "income":
            income += amount
        else:
            expense += amount
    largest = max(categories.values(), default=Decimal("0"))
    bars = [
        {
            "direction": d,
            "category": c,
            "total": money(v),
            "bar": int((v / largest * 20).to_integral_value()) if largest else 0,
        }
        for (d, c), v in sorted(categories.items(), key=lambda kv: (kv[0][0] != "income", -kv[1]))
    ]
    net = income - expense
    return {
        "income": money(income),
        "expense": money(expense),
        "net": money(net),
        "opening_balance": money(opening_balance),
        "balance": money(opening_balance + net),
        "by_category": bars,
    }


def statement_lines(
    *, compound_name: str, month: str, figures: Mapping[str, Any], entries: Iterable[Mapping[str, Any]]
) -> list[str]:
    """The statement a resident prints: totals, a text bar per category, then every entry."""
    lines = [
        f"{compound_name} {month} 收支公开",
        "",
        f"上月结余 {figures['opening_balance']}",
        f"本月收入 {figures['income']}",
        f"本月支出 {figures['expense']}",
        f"本月结余 {figures['balance']}",
        "",
        "分类合计：",
    ]
    for bar in figures["by_category"]:
        word = "收" if bar["direction"] == "income" else "支"
        lines.append(f"{word} {bar['category']} {bar['total']} {'#' * bar['bar']}")
    lines += ["", "明细（日期 类别 收支 金额 凭证号）："]
    for e in entries:
        word = "收入" if e["direction"] == "income" else "支出"
        note = " 已更正" if e.get("corrected_by") else (" 更正" if e.get("corrects") else "")
        lines.append(f"{e['date']} {e['category']} {word} {e['amount']} {e['voucher']}{note}")
    return lines
