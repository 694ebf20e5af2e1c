"""Response, resolution, on-time and satisfaction rates; time to sign for; returns per ticket."""

from __future__ import annotations

from dataclasses import replace

import pytest

from backend.shared.tickets.figures import TicketFigureRow, figures, summarise

from .conftest import BEIJING, local

BASE = TicketFigureRow(category="property_repairs", unit="460107002001-01", received_at=local(2026, 11, 26, 10),
                       dispatched_at=local(2026, 11, 26, 11), signed_at=local(2026, 11, 26, 13),
                       sign_late=False, waiting_past_sign_due=False, closure="resolved", reply_late=False,
                       returns=0, final_rating=5, reopened=False)
ROWS = [
    BASE,
    replace(BASE, signed_at=local(2026, 11, 27, 11), sign_late=True, closure="unresolved", final_rating=2,
            returns=2, reopened=True),
    replace(BASE, category="safety_hazard", unit="460107002", signed_at=None, closure=None, final_rating=None,
            waiting_past_sign_due=True),
    replace(BASE, category="safety_hazard", unit=None, received_at=local(2026, 12, 1, 9), dispatched_at=None,
            signed_at=None, closure=None, final_rating=None, returns=1),
    replace(BASE, received_at=local(2026, 12, 2, 9), reply_late=True, final_rating=3),
]


def test_summary_of_all_tickets() -> None:
    total = summarise(ROWS)
    assert total == {
        "tickets": 5, "signed": 3, "closed_resolved": 2, "closed_unresolved": 1, "rated": 3, "reopened": 1,
        "response_rate": 0.5,          # 2 of (3 signed + 1 waiting past its deadline)
        "resolution_rate": 0.6667,     # 2 resolved of 3 closed
        "on_time_rate": 0.6667,        # 2 of 3 closed replied on time
        "satisfaction_rate": 0.6667,   # 5 and 3 of 5, 2, 3
        "ratings": {"5": 1, "4": 0, "3": 1, "2": 1, "1": 0},
        "sign_hours_mean": 9.33,       # 2 h, 24 h and 2 h
        "sign_hours_median": 2.0,
        "returns_per_ticket": 0.6,
    }


@pytest.mark.parametrize(("by", "keys"), [
    ("unit", ["460107002", "460107002001-01", "unassigned"]),
    ("category", ["property_repairs", "safety_hazard"]),
    ("month", ["2026-11", "2026-12"]),
])
def test_grouping(by: str, keys: list[str]) -> None:
    result = figures(ROWS, by=by, timezone=BEIJING)
    assert [g["key"] for g in result["groups"]] == keys
    assert sum(g["tickets"] for g in result["groups"]) == 5 == result["total"]["tickets"]


def test_months_are_local() -> None:
    late_night = replace(BASE, received_at=local(2026, 12, 1, 0, 30))  # 30 November in UTC
    assert [g["key"] for g in figures([late_night], by="month", timezone=BEIJING)["groups"]] == ["2026-12"]


def test_empty_groups_have_no_rates() -> None:
    assert summarise([])["response_rate"] is None
    assert summarise([])["returns_per_ticket"] is None
    with pytest.raises(ValueError):
        figures([], by="colour", timezone=BEIJING)
