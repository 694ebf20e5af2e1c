"""The window's root: top bar (title, language switch), the screens, the navigation bar, and the
idle warning and busy overlay above them. The chrome stays put; only the middle changes."""

from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import NoTransition

from kiosk.i18n import LANGUAGES, language_labels

from . import keyboards  # noqa: F401  (EntryOverlay for root.kv)
from .banner import EmergencyBanner
from .widgets import KioskButton, LanguageButton

_HERE = Path(__file__).parent


def load_kv() -> None:
    """Load the shared widgets' and the root's kv rules."""
    Builder.load_file(str(_HERE / "widgets.kv"))
    Builder.load_file(str(_HERE / "keyboards.kv"))
    Builder.load_file(str(_HERE / "root.kv"))


class KioskRoot(FloatLayout):
    """Holds the chrome; the app fills in the screens and wires the buttons."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # No sliding: an elderly resident should see the new screen at once, not an animation.
        self.ids.screens.transition = NoTransition()
        self.emergency_banner = EmergencyBanner(aid="emergency_banner")  # 战时: in the title's place
        labels = language_labels()
        for lang in LANGUAGES:
            self.ids.top.ids.languages.add_widget(
                LanguageButton(aid=f"lang_{lang}", text=labels[lang], kind="secondary"))

    def show_emergency(self, message: str | None) -> None:
        """The emergency banner in the title's place on the top bar (``None``: the title again)."""
        banner, top = self.emergency_banner, self.ids.top
        banner.show(message)
        title, shown = top.ids.title, message is not None
        if shown and banner.parent is None:
            top.add_widget(banner, index=len(top.children) - 1)  # right of the (emptied) title
        elif not shown and banner.parent is not None:
            top.remove_widget(banner)
        title.size_hint_x, title.opacity = (None, 0) if shown else (1, 1)
        if shown:
            title.width = 0

    def language_buttons(self) -> dict[str, KioskButton]:
        """Return the language switch's buttons by language."""
        return {b.aid.removeprefix("lang_"): b for b in self.ids.top.ids.languages.children}
