"""The console's words, Chinese first with English beside: one table, looked up by key.

The words are data, like the kiosk's catalogs: ``assets/i18n/console/<lang>.json`` =
``{"language", "messages": {key: text}}``, both languages with the same keys (tests check that
both have words and that every literal key a template uses exists).
Names of states and codes (``service.SUSPENDED``, ``code.MEDIA_EMPTY``…) live here too, so a
page never shows a raw machine code where a person reads; an unknown code shows as itself.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import assets
from backend.shared import screen as _screen  # noqa: F401  (its refusals come back as command results)
from backend.shared.errors import ERRORS

W = tuple[str, str]
LANGUAGES = ("zh_CN", "en")


def load_words(folder: Path) -> Iterator[tuple[str, W]]:
    """Each key with its (Chinese, English) words, from the catalogs in ``folder``."""
    zh, en = ({str(k): str(v) for k, v in json.loads((folder / f"{lang}.json").read_text("utf-8"))
               ["messages"].items()} for lang in LANGUAGES)
    if zh.keys() != en.keys():
        raise ValueError(f"console catalogs differ in keys: {sorted(zh.keys() ^ en.keys())[:5]}")
    for key, text in zh.items():
        yield key, (text, en[key])


WORDS: dict[str, W] = dict(load_words(assets.path("i18n", "console")))


def words(lang: str, key: str) -> str:
    """Return the words for a key in a language (the key itself when unknown)."""
    pair = WORDS.get(key)
    if pair is None:
        return key.split(".", 1)[-1]
    return pair[1] if lang == "en" else pair[0]


def error_words(lang: str, code: str) -> str | None:
    """Return an error code's message, or None for a code nobody defined."""
    spec = ERRORS.get(code)
    if spec is None:
        return None
    return spec.en if lang == "en" else spec.zh
