"""The translator as a Kivy Observable, so kv rules written ``text: tr._("Back")`` re-render
when the language changes (the pattern from Kivy's i18n example: kv binds to the attribute
``_`` of ``tr``; switching the language calls every such binding).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.event import Observable

from kiosk.i18n import Bilingual, Translator, translator


class ObservableTranslator(Observable):
    """``tr._(msgid)`` in kv, re-evaluated on every language switch."""

    def __init__(self, core: Translator) -> None:
        super().__init__()
        self.core = core
        self._observers: list[tuple[Callable[..., Any], tuple[Any, ...], int]] = []
        self._next_uid = 0
        core.add_listener(self._language_changed)

    @property
    def lang(self) -> str:
        return self.core.lang

    def _(self, msgid: str) -> str:
        """Return ``msgid`` in the current language."""
        return self.core.gettext(msgid)

    def pick(self, text: Bilingual | None) -> str:
        """Return a station-given bilingual text in the current language."""
        return self.core.pick(text)

    def switch(self, lang: str) -> None:
        """Change the language; every bound kv rule and listener re-renders."""
        self.core.set_lang(lang)

    # Kivy's kv builder binds with fbind and unbinds with unbind_uid.
    def fbind(self, name: str, func: Callable[..., Any], *largs: Any, **kwargs: Any) -> int:
        if name != "_":
            return int(super().fbind(name, func, *largs, **kwargs))
        self._next_uid += 1
        self._observers.append((func, largs, self._next_uid))
        return self._next_uid

    def funbind(self, name: str, func: Callable[..., Any], *largs: Any, **kwargs: Any) -> None:
        if name != "_":
            super().funbind(name, func, *largs, **kwargs)
            return
        self._observers = [o for o in self._observers if (o[0], o[1]) != (func, largs)]

    def unbind_uid(self, name: str, uid: int) -> None:
        if name != "_":
            super().unbind_uid(name, uid)
            return
        self._observers = [o for o in self._observers if o[2] != uid]

    def _language_changed(self, _lang: str) -> None:
        dead = set()
        for func, largs, uid in list(self._observers):
            try:
                func(*largs, None, None)
            except ReferenceError:  # the widget that bound this rule is gone
                dead.add(uid)
        if dead:
            self._observers = [o for o in self._observers if o[2] not in dead]


tr = ObservableTranslator(translator)
