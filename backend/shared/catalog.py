"""The certificate catalog: types, purposes, templates, eligibility rules, forbidden types.

Loaded from YAML (assets/catalog/certificates.yaml) and validated; a bad file raises
CatalogError naming the entry and the field, so a technician can fix it without reading code.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import AppError, define

CATALOG_INVALID = define("catalog.invalid", 500, "证明目录配置有误，请联系工作人员。",
                         "The certificate catalog is misconfigured. Please contact the staff.")


class CatalogError(AppError):
    def __init__(self, detail: str) -> None:
        super().__init__(CATALOG_INVALID, detail=detail)


class Text(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    zh: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, lang: str) -> str:
        return self.en if lang.startswith("en") else self.zh


class Purpose(Text):
    code: str = Field(pattern=r"^[a-z_]{2,32}$")


class ResidentField(Text):
    name: str = Field(pattern=r"^[a-z_]{2,32}$")
    kind: Literal["text", "date", "month", "choice"] = "text"
    options: list[Purpose] = Field(default_factory=list)


class Rule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="allow")
    rule: str


# Each eligibility rule and the whole-number parameters it needs.
RULE_PARAMS: dict[str, tuple[str, ...]] = {
    "registered": (),
    "status_active": (),
    "min_months_registered": ("months",),
    "max_age": ("years",),
    "min_age": ("years",),
}
KNOWN_RULES = frozenset(RULE_PARAMS)
REGISTER_FIELDS = frozenset({"name", "id_masked", "address", "since", "sex", "birth_date", "household"})


class CertificateType(BaseModel):
    """One entry of the catalog."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[A-Z0-9]{2,12}$")
    name: Text
    legal_basis: Text
    forbidden: bool = False
    alternative: Text | None = None
    purposes: list[Purpose] = Field(default_factory=list)
    procedure: list[Text] = Field(default_factory=list)
    template: Text | None = None
    register_fields: list[str] = Field(default_factory=list)
    resident_fields: list[ResidentField] = Field(default_factory=list)
    validity_days: int = Field(0, ge=0, le=3650)
    eligibility: list[Rule] = Field(default_factory=list)
    approval: bool = False

    @model_validator(mode="after")
    def _complete(self) -> CertificateType:
        if self.forbidden:
            if self.alternative is None:
                raise ValueError("a forbidden type needs `alternative` (where to get it instead)")
            return self
        missing = [n for n in ("purposes", "procedure", "template") if not getattr(self, n)]
        if missing or self.validity_days < 1:
            raise ValueError(f"an issuable type needs {', '.join(missing) or 'validity_days >= 1'}")
        unknown = [r.rule for r in self.eligibility if r.rule not in KNOWN_RULES]
        if unknown:
            raise ValueError(f"unknown eligibility rule(s) {unknown}; known: {sorted(KNOWN_RULES)}")
        for rule in self.eligibility:
            params = rule.model_extra or {}
            for name in RULE_PARAMS[rule.rule]:
                if not isinstance(params.get(name), int) or params[name] < 0:
                    raise ValueError(f"rule {rule.rule} needs a whole number `{name}`")
        bad_fields = set(self.register_fields) - REGISTER_FIELDS
        if bad_fields:
            raise ValueError(f"unknown register field(s) {sorted(bad_fields)}")
        return self

    def purpose(self, code: str) -> Purpose | None:
        return next((p for p in self.purposes if p.code == code), None)


class Catalog(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    certificates: list[CertificateType]
    areas: dict[str, list[str]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _consistent(self) -> Catalog:
        codes = [c.code for c in self.certificates]
        duplicates = {c for c in codes if codes.count(c) > 1}
        if duplicates:
            raise ValueError(f"duplicate certificate codes {sorted(duplicates)}")
        for area, listed in self.areas.items():
            unknown = set(listed) - set(codes)
            if unknown:
                raise ValueError(f"area {area} lists unknown types {sorted(unknown)}")
        return self

    def get(self, code: str) -> CertificateType | None:
        return next((c for c in self.certificates if c.code == code), None)

    def for_area(self, area_code: str) -> list[CertificateType]:
        """Return the types an area offers (forbidden ones included, to show their alternative)."""
        listed = self.areas.get(area_code)
        if listed is None:
            return []
        return [c for c in self.certificates if c.code in listed]


def load_catalog(path: Path) -> Catalog:
    """Load and validate a catalog file; raise CatalogError with a readable reason."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as err:
        raise CatalogError(f"{path}: cannot read: {err}") from err
    return parse_catalog(raw, source=str(path))


def parse_catalog(raw: Any, *, source: str = "catalog") -> Catalog:
    """Validate catalog data already parsed from YAML or JSON."""
    try:
        return Catalog.model_validate(raw)
    except ValidationError as err:
        raise CatalogError(f"{source}: {_describe(err, raw)}") from err


def _describe(err: ValidationError, raw: Any) -> str:
    problems = []
    for item in err.errors()[:5]:
        location = list(item["loc"])
        if len(location) >= 2 and location[0] == "certificates" and isinstance(location[1], int):
            with contextlib.suppress(KeyError, IndexError, TypeError, AttributeError):
                location[1] = raw["certificates"][location[1]].get("code", location[1])
        problems.append(f"{'.'.join(str(p) for p in location)}: {item['msg']}")
    return "; ".join(problems)


@dataclass(frozen=True)
class ResidentFacts:
    """What eligibility rules may read about a resident."""

    registered: bool
    status: str = ""
    registered_since: date | None = None
    birth_date: date | None = None


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    params: dict[str, Any]


def check_eligibility(kind: CertificateType, facts: ResidentFacts, today: date) -> list[RuleFailure]:
    """Return the rules the resident does not meet (empty when eligible)."""
    return [
        RuleFailure(rule.rule, dict(rule.model_extra or {}))
        for rule in kind.eligibility
        if not _holds(rule, facts, today)
    ]


def _holds(rule: Rule, facts: ResidentFacts, today: date) -> bool:
    params = rule.model_extra or {}
    if rule.rule == "registered":
        return facts.registered
    if rule.rule == "status_active":
        return facts.status == "active"
    if rule.rule == "min_months_registered":
        since = facts.registered_since
        return since is not None and _months_between(since, today) >= int(params["months"])
    if rule.rule in ("max_age", "min_age"):
        if facts.birth_date is None:
            return False
        age = _months_between(facts.birth_date, today) // 12
        return age <= int(params["years"]) if rule.rule == "max_age" else age >= int(params["years"])
    raise CatalogError(f"unknown rule {rule.rule}")


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)
