"""The records' shared pieces: a text in both languages and the parsing helpers every record uses."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..errors import BAD_RESPONSE, StationError


@dataclass(frozen=True)
class Text:
    """A text the station gives in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in ``lang`` ("zh…" or "en…"), falling back to the other."""
        first, second = (self.en, self.zh) if lang.startswith("en") else (self.zh, self.en)
        return first or second

    @classmethod
    def of(cls, value: Any) -> Text:
        if isinstance(value, Mapping):
            return cls(str(value.get("zh", "")), str(value.get("en", "")))
        return cls(str(value or ""), str(value or ""))


def as_object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StationError.local(BAD_RESPONSE, detail=f"expected an object, got {type(value).__name__}")
    return value


def required(data: Mapping[str, Any], key: str) -> Any:
    if key not in data or data[key] is None:
        raise StationError.local(BAD_RESPONSE, detail=f"missing field {key!r}")
    return data[key]
