"""Open311 forms: a form-encoded POST body as the routes read it, and the checks of what a client
asks to file (service, community, location, phrases, description, contact), each problem an
``Open311Error`` with the spec's status."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from backend.shared.errors import AppError
from backend.shared.tickets.config import Category, TicketConfig
from backend.shared.tickets.contact import ContactSealer
from backend.shared.tickets.dispatch import Place
from backend.shared.tickets.text import clean_text, mask_phone, normal_phone

from ...db.area_models import OrgUnit
from .open311_format import Open311Error, app_error


@dataclass(frozen=True)
class Form:
    """A form-encoded POST body: single values and lists (``attribute[code][]``)."""

    values: Mapping[str, str]
    lists: Mapping[str, Sequence[str]]

    @classmethod
    def of(cls, query: Iterable[tuple[str, str]], body: Iterable[tuple[str, Any]]) -> Form:
        """The query's values, then the body's text fields (the last of a name wins; all are listed)."""
        values: dict[str, str] = dict(query)
        lists: dict[str, list[str]] = {}
        for key, value in body:
            if isinstance(value, str):
                values[key] = value
                lists.setdefault(key, []).append(value)
        return cls(values, lists)

    def get(self, name: str) -> str:
        return (self.values.get(name) or "").strip()

    def attribute(self, code: str) -> str:
        return self.get(f"attribute[{code}]")

    def attribute_list(self, code: str) -> list[str]:
        return [v for v in self.lists.get(f"attribute[{code}][]", []) if v]


@dataclass(frozen=True)
class AskedRequest:
    """What a form asks to file, checked: the service, where, what, and who (sealed)."""

    category: Category
    community: OrgUnit
    place: Place
    lat: float | None
    lon: float | None
    phrases: list[str]
    description: str
    contact: str | None
    phone_masked: str


def read_request(session: Session, form: Form, config: TicketConfig, sealer: ContactSealer) -> AskedRequest:
    """Read and check a request's form (the first problem found is the client's error)."""
    chosen = category(form, config)
    unit = community(session, form.attribute("community"))
    where, lat, lon = place(form, unit.code, config)
    codes = phrases(form, chosen)
    text = description(form, chosen, codes)
    sealed, masked = contact(form, chosen, sealer)
    return AskedRequest(chosen, unit, where, lat, lon, codes, text, sealed, masked)


def required(form: Form, name: str) -> str:
    value = form.get(name)
    if not value:
        raise Open311Error(400, f"{name} is required")
    return value


def category(form: Form, config: TicketConfig) -> Category:
    code = required(form, "service_code")
    category = config.category(code)
    if category is None:
        raise Open311Error(400, f"service_code {code[:32]!r} not found")
    return category


def community(session: Session, code: str) -> OrgUnit:
    if not code:
        raise Open311Error(400, "attribute[community] is required")
    unit = session.get(OrgUnit, code)
    if unit is None or unit.level != "community":
        raise Open311Error(400, f"attribute[community] {code[:32]!r} is not a community")
    return unit


def number(text: str, name: str, limit: float) -> float | None:
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise Open311Error(400, f"{name} is not a number") from None
    if not -limit <= value <= limit:
        raise Open311Error(400, f"{name} is out of range")
    return value


def place(form: Form, community: str, config: TicketConfig) -> tuple[Place, float | None, float | None]:
    lat, lon = number(form.get("lat"), "lat", 90), number(form.get("long"), "long", 180)
    address = form.get("address_string") or form.get("address_id")
    if (lat is None or lon is None) and not address:
        raise Open311Error(400, "a location is required: lat and long, address_string or address_id")
    building, unit, landmark = form.attribute("building"), form.attribute("unit"), form.attribute("landmark")
    if landmark and config.landmark(community, landmark) is None:
        raise Open311Error(400, f"attribute[landmark] {landmark[:32]!r} is not a landmark of the community")
    if len(building) > 16 or len(unit) > 16 or len(address) > 64:
        raise Open311Error(400, "building, unit or address is too long")
    if building:
        return Place("building", clean(building, 16), clean(unit, 16, required=False)), lat, lon
    if landmark:
        return Place("public", landmark=landmark), lat, lon
    return Place("address", clean(address, 64)) if address else Place("public"), lat, lon


def clean(text: str, limit: int, *, required: bool = True) -> str:
    try:
        return clean_text(text, max_length=limit, required=required)
    except AppError as err:
        raise app_error(err) from err


def phrases(form: Form, category: Category) -> list[str]:
    codes = form.attribute_list("phrase")
    unknown = [c for c in codes if category.phrase(c) is None]
    if unknown or len(codes) > 12:
        raise Open311Error(400, f"attribute[phrase] {unknown[:1]} is not a phrase of the service")
    return codes


def description(form: Form, category: Category, phrases: list[str]) -> str:
    words = [category.phrase(code).zh for code in phrases]  # type: ignore[union-attr]
    text = "；".join([*words, form.get("description")]).strip("；")
    return clean(text, 4000)


def contact(form: Form, category: Category, sealer: ContactSealer) -> tuple[str | None, str]:
    raw_phone = form.get("phone")
    try:
        phone = normal_phone(raw_phone) if raw_phone else ""
    except AppError as err:
        raise app_error(err) from err
    if not phone and not category.anonymous:
        raise Open311Error(400, f"phone is required for service {category.code}")
    names = {k: clean(form.get(k), 64, required=False) for k in ("first_name", "last_name", "email")}
    contact = {"phone": phone, **{k: v for k, v in names.items() if v}}
    if not phone and len(contact) == 1:
        return None, ""
    return sealer.seal(contact), mask_phone(phone) if phone else ""
