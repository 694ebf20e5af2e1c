"""Something failed: what happened (the station's words), why (eligibility reasons), where to go
instead (forbidden types), what to do now, and only the actions that make sense."""

from __future__ import annotations

from typing import Any

from kiosk.advice import Action
from kiosk.i18n import N_, _, translator
from kiosk.ui.widgets import KioskButton

from .base import KioskScreen, load_kv

load_kv(__file__)

ACTION_TEXT: dict[Action, str] = {
    Action.RETRY: N_("Try again"),
    Action.CHOOSE_TYPE: N_("Choose another certificate"),
    Action.HOME: N_("Back to the home screen"),
}


class ErrorScreen(KioskScreen):
    def __init__(self, flow: Any, **kwargs: Any) -> None:
        super().__init__(flow, **kwargs)
        self.title = N_("Sorry, this could not be done")
        self.can_back = False  # the screen's own buttons say where each way leads

    def render(self) -> None:
        problem, ids = self.flow.state.problem, self.ids
        ids.message.text = translator.pick(problem.message) if problem else ""
        reasons = [translator.pick(r) for r in problem.reasons] if problem else []
        ids.reasons.text = "\n".join(f"• {r}" for r in reasons)
        ids.alternative.text = translator.pick(problem.alternative) if problem else ""
        ids.advice.text = _(problem.advice) if problem else ""
        ids.actions.clear_widgets()
        actions = problem.actions if problem else ()
        for action in actions:
            button = KioskButton(aid=f"action_{action.value}", text=_(ACTION_TEXT[action]),
                                 kind="primary" if action is actions[0] else "secondary")
            button.bind(on_release=lambda _b, a=action: self.flow.act(a))
            ids.actions.add_widget(button)
