"""ID cards for the fake residents of a demo register (the product's is assets/register/demo_register.csv).

The caller reads the register and hands it in (``kiosk sim`` reads the shipped one): the devices
know the card's layout, not where the product keeps its data.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from devices.idcard.card import IdCard
from devices.idcard.codes import sex_from_label
from devices.idcard.idnumber import IdNumber
from devices.idcard.protocol import PHOTO_SIZE

AUTHORITY = "海口市公安局琼山分局"
FIRST_ISSUE_AGE = 16
LONG_TERM_AGE = 46  # GB 11643's law: 46 and older at issue get a long-term (长期) card
VALIDITY_YEARS = 20
ISSUED_YEARS_AGO = 5  # the demo cards were issued a few years before "today"


@dataclass(frozen=True)
class DemoRegister:
    """The demo residents (rows keyed by the register's column names) and their community's address."""

    rows: tuple[dict[str, str], ...]
    address_prefix: str  # e.g. "海南省海口市琼山区…桂林社区"

    @classmethod
    def read(cls, register_csv: Path, community_yaml: Path) -> DemoRegister:
        """Read a register CSV file and its community's YAML file (for the address prefix)."""
        with register_csv.open(encoding="utf-8", newline="") as fh:
            rows = tuple(csv.DictReader(fh))
        with community_yaml.open(encoding="utf-8") as fh:
            community: dict[str, Any] = yaml.safe_load(fh)
        return cls(rows, community["address_prefix"]["zh"])

    def card(self, index_or_name: int | str, *, today: date | None = None) -> IdCard:
        """Return the ID card of a demo resident, by 0-based row index, name or ID number."""
        row = self._find_row(index_or_name)
        born = date.fromisoformat(row["birth_date"])
        issued = _issue_date(born, today or date.today())
        age_at_issue = _age(born, issued)
        return IdCard(
            name=row["name"],
            sex=sex_from_label(row["sex"]),
            ethnicity=row["ethnicity"],
            birth_date=born,
            address=self.address(row),
            id_number=IdNumber(row["id_number"]),
            authority=AUTHORITY,
            valid_from=issued,
            valid_until=(None if age_at_issue >= LONG_TERM_AGE
                         else _anniversary(issued, issued.year + VALIDITY_YEARS)),
            photo=random.Random(row["id_number"]).randbytes(PHOTO_SIZE),  # opaque stand-in for WLT
        )

    def address(self, row: dict[str, str]) -> str:
        """Return the address printed on a resident's card, e.g. "…桂林社区3号楼2单元301室"."""
        return f"{self.address_prefix}{row['building']}号楼{row['unit']}单元{row['room']}室"

    def _find_row(self, key: int | str) -> dict[str, str]:
        if isinstance(key, int):
            if not 0 <= key < len(self.rows):
                raise LookupError(f"the demo register has {len(self.rows)} residents, not #{key}")
            return self.rows[key]
        for row in self.rows:
            if key in (row["name"], row["id_number"]):
                return row
        raise LookupError(f"no demo resident named {key!r}")


def _issue_date(born: date, today: date) -> date:
    """Return a plausible issue date: a birthday a few years ago, not before age 16."""
    year = max(today.year - ISSUED_YEARS_AGO, born.year + FIRST_ISSUE_AGE)
    return min(_anniversary(born, year), today)


def _anniversary(day: date, year: int) -> date:
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
