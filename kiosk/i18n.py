"""Translations: every visible string goes through ``_()``; Chinese first (zh_CN), English too.

Catalogs are data: ``assets/i18n/<lang>.json`` = ``{"language", "label", "messages": {msgid:
text}}``, where the msgid is the English source text (see assets/i18n/README.md). This module is
Kivy-free; ``kiosk.ui.translator`` wraps the same translator as a Kivy Observable so kv rules
(``tr._("…")``) re-render live when the language changes.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import assets

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


class Bilingual(Protocol):
    def get(self, lang: str) -> str: ...


def N_(msgid: str) -> str:
    """Mark a msgid for translation later (when it is shown), like gettext's N_."""
    return msgid


def catalog_dir() -> Path:
    return assets.path("i18n")


def load_catalogs(folder: Path | None = None) -> dict[str, dict[str, str]]:
    """Read every language's catalog: {lang: {msgid: translation}}."""
    folder = folder or catalog_dir()
    catalogs: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        with (folder / f"{lang}.json").open(encoding="utf-8") as fh:
            data = json.load(fh)
        catalogs[lang] = {str(k): str(v) for k, v in data["messages"].items()}
    return catalogs


def language_labels(folder: Path | None = None) -> dict[str, str]:
    """Return each language's name in its own script (for the language switch)."""
    folder = folder or catalog_dir()
    labels = {}
    for lang in LANGUAGES:
        with (folder / f"{lang}.json").open(encoding="utf-8") as fh:
            labels[lang] = str(json.load(fh)["label"])
    return labels


class Translator:
    """The current language and its catalog; tells listeners when the language changes."""

    def __init__(self, catalogs: Mapping[str, Mapping[str, str]], lang: str = DEFAULT_LANGUAGE) -> None:
        self._catalogs = catalogs
        self._lang = lang
        self._listeners: list[Callable[[str], None]] = []
        self._missing: set[tuple[str, str]] = set()

    @property
    def lang(self) -> str:
        return self._lang

    def set_lang(self, lang: str) -> None:
        """Switch language and tell every listener."""
        if lang not in self._catalogs:
            raise ValueError(f"no catalog for language {lang!r}")
        if lang == self._lang:
            return
        self._lang = lang
        for listener in list(self._listeners):
            listener(lang)

    def gettext(self, msgid: str) -> str:
        """Return ``msgid`` in the current language (the msgid itself if it has no translation)."""
        return self.translate(msgid, self._lang)

    def translate(self, msgid: str, lang: str) -> str:
        """Return ``msgid`` in ``lang``."""
        text = self._catalogs.get(lang, {}).get(msgid)
        if text is None:
            if (lang, msgid) not in self._missing:
                self._missing.add((lang, msgid))
                log.warning("no %s translation for %r", lang, msgid)
            return msgid
        return text

    def pick(self, text: Bilingual | None) -> str:
        """Return the current language's version of a text the station gave in both."""
        return text.get(self._lang) if text is not None else ""

    def add_listener(self, listener: Callable[[str], None]) -> None:
        self._listeners.append(listener)

    def remove_listener(self, listener: Callable[[str], None]) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)


translator = Translator(load_catalogs())


def _(msgid: str) -> str:
    """Return ``msgid`` translated into the current language."""
    return translator.gettext(msgid)


def translate(msgid: str, lang: str) -> str:
    """Return ``msgid`` translated into ``lang`` (not necessarily the current one)."""
    return translator.translate(msgid, lang)
