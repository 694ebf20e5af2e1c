"""Possible duplicates: same category and place within the window, most alike first."""

from __future__ import annotations

from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.duplicates import DuplicateCandidate, place_key, possible_duplicates, similarity

from .conftest import local

TARGET = DuplicateCandidate("GD-1", "property_repairs", Place("building", "3", "2"), local(2026, 11, 26, 10),
                            "3号楼2单元水管漏水")


def candidate(no: str, **changes: object) -> DuplicateCandidate:
    values = {"ticket_no": no, "category": TARGET.category, "place": TARGET.place,
              "received_at": local(2026, 11, 27, 10), "text": "水管漏水很严重"} | changes
    return DuplicateCandidate(**values)  # type: ignore[arg-type]


def test_candidates_are_found_and_ranked() -> None:
    others = [
        TARGET,
        candidate("GD-2", text="楼道灯不亮"),
        candidate("GD-3", text="3号楼2单元水管漏水了"),
        candidate("GD-4", category="safety_hazard"),
        candidate("GD-5", place=Place("building", "3", "1")),
        candidate("GD-6", received_at=local(2026, 11, 30, 10)),  # four days later
        candidate("GD-7", received_at=local(2026, 11, 23, 10)),  # exactly three days earlier
    ]
    found = possible_duplicates(TARGET, others, window_days=3)
    assert [c.ticket_no for c, _ in found] == ["GD-3", "GD-7", "GD-2"]
    assert found[0][1] > found[1][1] > found[2][1]


def test_place_keys() -> None:
    assert place_key(Place("public", landmark="north_gate")) == "landmark:north_gate"
    assert place_key(Place("public")) == "public"
    assert place_key(Place("address", "和平街 1号")) == place_key(Place("address", "和平街1号"))
    assert similarity("", "") == 0.0
