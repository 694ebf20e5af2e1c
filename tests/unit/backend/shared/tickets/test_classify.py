"""Keyword rules suggest a category and a grade; the resident's choice counts and wins ties."""

from __future__ import annotations

import pytest

from backend.shared.tickets.classify import suggest
from backend.shared.tickets.config import TicketConfig


@pytest.mark.parametrize(("text", "chosen", "category", "grade"), [
    ("水管漏水，楼道灯不亮", "property_repairs", "property_repairs", "normal"),
    ("闻到燃气味", "safety_hazard", "safety_hazard", "urgent"),
    ("楼道里有燃气味，很危险，可能漏气", "property_repairs", "safety_hazard", "urgent"),  # words outweigh
    ("垃圾堆放未清运", "suggestion", "environment_sanitation", "normal"),
    ("邻居噪音扰民，反复多次反映", "neighbour_dispute", "neighbour_dispute", "complex"),
    ("感谢社区的帮助", "praise", "praise", "normal"),
    ("随便说说", "suggestion", "suggestion", "normal"),  # nothing matched: the choice stands
    ("ＬＥＡＫ in the kitchen pipe", None, "property_repairs", "normal"),  # full-width, any case
    ("Someone is TRAPPED in the lift", "property_repairs", "property_repairs", "urgent"),
    ("建议增设健身器材", "public_facilities", "public_facilities", "normal"),  # tie: the choice wins
])
def test_suggestions(config: TicketConfig, text: str, chosen: str | None, category: str, grade: str) -> None:
    suggestion = suggest(config, text, chosen=chosen)
    assert (suggestion.category, suggestion.grade) == (category, grade)


def test_a_suggestion_says_why(config: TicketConfig) -> None:
    suggestion = suggest(config, "楼道里有燃气味，很危险", chosen="property_repairs")
    assert suggestion.matched == {"safety_hazard": ["燃气", "危险"]}
    assert suggestion.grade_keywords == ["燃气味"]
    assert suggestion.differs_from_choice
    assert suggestion.as_dict()["differs_from_choice"] is True
