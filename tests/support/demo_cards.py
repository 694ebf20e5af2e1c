"""The shipped demo register's ID cards, as ``kiosk sim`` offers them."""

from __future__ import annotations

from datetime import date

from devices.idcard.card import IdCard
from kioskcli.sim_data import demo_register


def demo_card(index_or_name: int | str, *, today: date | None = None) -> IdCard:
    """Return the ID card of a demo resident, by 0-based row index, name or ID number."""
    return demo_register().card(index_or_name, today=today)


def register_rows() -> tuple[dict[str, str], ...]:
    """Return the demo register's rows."""
    return demo_register().rows
