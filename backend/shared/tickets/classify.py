"""Suggesting a category and a grade from a resident's words with keyword rules (classification.yaml).

A suggestion, never a decision: staff confirm or change it. It says which words matched, so the
console can show why.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from .config import TicketConfig


@dataclass(frozen=True)
class Suggestion:
    category: str
    grade: str
    matched: dict[str, list[str]] = field(default_factory=dict)  # category -> its keywords found
    grade_keywords: list[str] = field(default_factory=list)  # the keywords that set the grade
    chosen: str | None = None  # the resident's own choice

    @property
    def differs_from_choice(self) -> bool:
        return self.chosen is not None and self.chosen != self.category

    def as_dict(self) -> dict[str, object]:
        return {"category": self.category, "grade": self.grade, "matched": self.matched,
                "grade_keywords": self.grade_keywords, "chosen": self.chosen,
                "differs_from_choice": self.differs_from_choice}


def _normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _hits(text: str, keywords: list[str]) -> list[str]:
    return [k for k in keywords if _normal(k) in text]


def suggest(config: TicketConfig, text: str, *, chosen: str | None = None) -> Suggestion:
    """Suggest a category and a grade for a description and the resident's chosen category."""
    rules = config.classification
    normal = _normal(text)
    matched: dict[str, list[str]] = {}
    scores: dict[str, int] = {}
    for order, category in enumerate(c.code for c in config.categories):
        hits = _hits(normal, rules.categories.get(category, []))
        if hits:
            matched[category] = hits
        bonus = rules.choice_weight if category == chosen else 0
        # Ties go to the resident's choice, then to the order of the categories file.
        scores[category] = (len(hits) + bonus) * 1000 + (500 if category == chosen else 0) - order
    category = max(scores, key=lambda c: scores[c]) if (matched or chosen) else config.categories[0].code
    grade, grade_keywords = _grade(config, normal, category)
    return Suggestion(category, grade, matched, grade_keywords, chosen)


def _grade(config: TicketConfig, normal: str, category: str) -> tuple[str, list[str]]:
    grades = config.classification.grades
    for grade in ("urgent", "complex"):
        hits = _hits(normal, grades.get(grade, []))
        if hits:
            return grade, hits
    found = config.category(category)
    return (found.default_grade if found else "normal"), []
