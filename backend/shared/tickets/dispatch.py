"""The dispatch catalogue (dispatch.yaml): which level, unit and handler role should take a ticket.

The first rule matching the ticket's category, area, grade and kind of place gives a level and a
role; the unit is the org unit at that level over the ticket's place (the grid that holds its
building or landmark, the community, its street…), or the rule's fixed unit. The org tree enters
through a small protocol, so this stays pure and testable without a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from .config import DispatchRule, TicketConfig


class OrgTree(Protocol):
    def ancestor(self, code: str, level: str) -> str | None:
        """The unit at ``level`` at or above ``code``."""

    def grid_of_building(self, community: str, building: str) -> str | None:
        """The grid of a community that looks after a building."""


@dataclass(frozen=True)
class Place:
    kind: str  # building | public | address
    building: str = ""
    unit: str = ""
    landmark: str = ""


@dataclass(frozen=True)
class DispatchSuggestion:
    unit: str
    level: str
    role: str
    rule: int  # index of the rule in the catalogue

    def as_dict(self) -> dict[str, object]:
        return {"unit": self.unit, "level": self.level, "role": self.role, "rule": self.rule}


def matching_rule(config: TicketConfig, *, category: str, grade: str | None, community: str,
                  place_kind: str) -> tuple[int, DispatchRule]:
    """Return the first rule of the catalogue that matches (the catalogue ends with a '*' rule)."""
    kind = "building" if place_kind == "building" else "public"
    for index, rule in enumerate(config.dispatch):
        if ((rule.category in ("*", category)) and community.startswith(rule.area)
                and rule.grade in (None, grade) and rule.place in (None, kind)):
            return index, rule
    raise LookupError("the dispatch catalogue has no rule for every category")


def suggest_dispatch(config: TicketConfig, tree: OrgTree, *, category: str, grade: str | None,
                     community: str, place: Place) -> DispatchSuggestion:
    """Suggest where a ticket should go."""
    index, rule = matching_rule(config, category=category, grade=grade, community=community,
                                place_kind=place.kind)
    unit = rule.unit or _unit_at(config, tree, community, place, rule.level)
    level = rule.level if unit != community or rule.level == "community" else "community"
    return DispatchSuggestion(unit, level, rule.role, index)


def _unit_at(config: TicketConfig, tree: OrgTree, community: str, place: Place, level: str) -> str:
    if level == "grid":
        # Without a building or landmark that a grid looks after, the community takes it.
        return _grid(config, tree, community, place) or community
    return tree.ancestor(community, level) or community


def _grid(config: TicketConfig, tree: OrgTree, community: str, place: Place) -> str | None:
    if place.kind == "building" and place.building:
        return tree.grid_of_building(community, place.building)
    landmark = config.landmark(community, place.landmark) if place.landmark else None
    return landmark.grid if landmark else None
