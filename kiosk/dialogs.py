"""What can open over a screen: a dialog (a question or an explanation with its buttons) and an
on-screen keyboard. Both live in the flow's state, so the idle timer clears them with the visit.
Texts are held in both languages, so a language switch re-renders an open dialog."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from .i18n import translate
from .records import Text

CANCEL_VISIT = "cancel_visit"
UNAVAILABLE = "unavailable"
WRONG_PIN = "wrong_pin"

# Dialog buttons: what each does (the flow's ``dialog_action``).
CLOSE = "close"  # close the dialog, stay where you are
END_VISIT = "end_visit"  # cancel: end the visit and go home


@dataclass(frozen=True)
class Dialog:
    code: str
    title: Text
    lines: tuple[Text, ...]
    buttons: tuple[tuple[str, Text], ...]  # (action, label); the first is the safe choice
    tone: str = "plain"  # plain | warning (the warning icon shows; words carry the meaning)


class EntryKind(StrEnum):
    PHONE = "phone"  # numeric keypad, a mainland mobile or landline number
    MONTH = "month"  # numeric keypad, year and month
    PIN = "pin"  # numeric keypad, digits shown as dots (the technician's PIN)
    COUNT = "count"  # numeric keypad, a number of people or things (1 and up)
    PINYIN = "pinyin"  # letters, pinyin candidates
    ENGLISH = "english"  # letters and digits


@dataclass
class Entry:
    """A text being typed on the on-screen keyboard."""

    kind: EntryKind
    prompt: str  # msgid: what to type
    field: str  # what the text is for (the screen that asked)
    text: str = ""


def bilingual(msgid: str, **values: str | Text) -> Text:
    """Return a msgid in both languages, its {placeholders} filled per language."""
    def one(lang: str) -> str:
        filled = {k: (v.get(lang) if isinstance(v, Text) else v) for k, v in values.items()}
        return translate(msgid, lang).format(**filled)

    return Text(one("zh_CN"), one("en"))
