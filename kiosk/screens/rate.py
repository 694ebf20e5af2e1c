"""评价: how was it? Five big buttons, each a face and words (never colour alone): 非常满意, 满意,
基本满意, 不满意, 非常不满意; then, if the resident wants, reasons that fit; send, or skip. The
rating carries no name."""

from __future__ import annotations

from typing import Any

from kiosk.i18n import N_, _, translator
from kiosk.journeys.rating import LEVEL_ICONS
from kiosk.ui.images import image
from kiosk.ui.widgets import ChoiceButton, IconButton

from .base import KioskScreen, load_kv

load_kv(__file__)


class RateScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Please rate this service")
        self.can_back = False
        self._built: tuple[Any, ...] | None = None
        self._reasons_for: tuple[Any, ...] | None = None
        self._levels: dict[int, IconButton] = {}
        self._reasons: dict[str, ChoiceButton] = {}

    def render(self) -> None:
        rating, options = self.flow.state.rating, self.flow.rating.options
        target = rating.target
        self.ids.prompt.text = (_("How satisfied are you with: {service}?").format(
            service=translator.pick(target.title)) if target else "")
        self.ids.problem.text = translator.pick(rating.problem) if rating.problem else ""
        look = (id(options), translator.lang, self.flow.state.elderly)
        if look != self._built:  # the five levels: rebuilt for a language or mode, not a choice
            self._built, self._reasons_for = look, None
            self._build_levels(options)
        if (look, rating.level) != self._reasons_for:  # the reasons fit the level chosen
            self._reasons_for = (look, rating.level)
            self._build_reasons(options, rating.level)
        for level, button in self._levels.items():
            button.chosen = level == rating.level
        for code, button in self._reasons.items():
            button.chosen = code in rating.reasons
        self.ids.send.disabled = rating.level is None

    def _build_levels(self, options: Any) -> None:
        levels = self.ids.levels
        levels.clear_widgets()
        self._levels = {}
        for choice in options.levels if options is not None else ():
            button = IconButton(aid=f"rate_{choice.level}", text=translator.pick(choice.name),
                                icon=image(LEVEL_ICONS.get(choice.level, "")))
            button.bind(on_release=lambda _b, n=choice.level: self.flow.rating.choose_level(n))
            levels.add_widget(button)
            self._levels[choice.level] = button

    def _build_reasons(self, options: Any, level: int | None) -> None:
        reasons = self.ids.reasons
        reasons.clear_widgets()
        self._reasons = {}
        if options is None:
            return
        self.ids.reasons_heading.text = (_("Why? (optional)") if level is not None else "")
        for reason in options.reasons_for(level) if level is not None else ():
            chip = ChoiceButton(aid=f"reason_{reason.code}", label=translator.pick(reason.name))
            chip.bind(on_release=lambda _b, code=reason.code: self.flow.rating.toggle_reason(code))
            reasons.add_widget(chip)
            self._reasons[reason.code] = chip
        reasons.cols = 2 if self.flow.state.elderly else 4
