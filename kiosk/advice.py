"""What to tell a resident when something fails, and what they can do next.

The station's message says what happened (in zh and en); the advice here says what to do, and
the actions are the buttons the error screen offers. Retry is offered only where trying again can
help and can never do harm (issuing is idempotent, printing never prints twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .errors import StationError
from .i18n import N_
from .records import Text


class Action(StrEnum):
    RETRY = "retry"
    CHOOSE_TYPE = "choose_type"
    HOME = "home"


@dataclass(frozen=True)
class Problem:
    """An error as the resident sees it."""

    code: str
    message: Text  # what happened (from the station, or the kiosk's own catalog)
    advice: str  # msgid: what to do now
    actions: tuple[Action, ...]
    reasons: tuple[Text, ...] = ()  # why not eligible, one line each
    alternative: Text | None = None  # where to go instead (forbidden types)


_RETRY_HOME = (Action.RETRY, Action.HOME)
_CHOOSE_HOME = (Action.CHOOSE_TYPE, Action.HOME)
_HOME = (Action.HOME,)

# code (exact) or prefix ending in "." -> (advice msgid, actions)
_RULES: dict[str, tuple[str, tuple[Action, ...]]] = {
    "printer.": (N_("Your certificate is saved. Tap Try again, or come back later to print it."),
                 _RETRY_HOME),
    "network.": (N_("Please try again. If it keeps happening, call 12345 or ask the staff."),
                 _RETRY_HOME),
    "kiosk.": (N_("Please try again. If it keeps happening, call 12345 or ask the staff."),
               _RETRY_HOME),
    "internal.error": (N_("Please try again. If it keeps happening, call 12345 or ask the staff."),
                       _RETRY_HOME),
    "idcard.": (N_("Please ask the staff for help, or call 12345."), _HOME),
    "session.": (N_("Please start again from the home screen."), _HOME),
    "certificate.not_eligible": (N_("You can choose another certificate, or ask at the community "
                                    "service desk."), _CHOOSE_HOME),
    "certificate.not_in_register": (N_("Please register at the community service desk."), _HOME),
    "certificate.forbidden": (N_("Please apply at the place named above."), _CHOOSE_HOME),
    "certificate.not_offered": (N_("You can choose another certificate."), _CHOOSE_HOME),
    "certificate.unknown_type": (N_("You can choose another certificate."), _CHOOSE_HOME),
}
_DEFAULT = (N_("Please start again. If it keeps happening, call 12345 or ask the staff."), _HOME)


def explain(error: StationError, *, can_retry: bool) -> Problem:
    """Return the problem to show for ``error``; drop Retry when there is nothing to retry."""
    advice, actions = _rule_for(error)
    if not can_retry:
        actions = tuple(a for a in actions if a is not Action.RETRY) or _HOME
    reasons = tuple(Text.of(r) for r in error.context.get("reasons", ()) if isinstance(r, dict))
    alternative = error.context.get("alternative")
    return Problem(error.code, Text.of(error.message), advice, actions, reasons,
                   Text.of(alternative) if isinstance(alternative, dict) and alternative else None)


def _rule_for(error: StationError) -> tuple[str, tuple[Action, ...]]:
    if error.code in _RULES:
        return _RULES[error.code]
    prefix = error.code.split(".", 1)[0] + "."
    if prefix in _RULES:
        return _RULES[prefix]
    if error.transient:
        return _RULES["network."]
    return _DEFAULT
