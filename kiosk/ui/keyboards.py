"""On-screen keyboards (no IME on a kiosk): a numeric keypad for phone numbers and months, a pinyin
keyboard with candidate characters and words, an English keyboard. They draw keys and feed the
Kivy-free engines in ``kiosk.textentry``; ``EntryOverlay`` shows one over the screen for the
flow's ``state.entry``. Every key is a KioskButton: big, and darker while pressed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk.dialogs import EntryKind
from kiosk.handwriting.recognizer import Candidate as Written
from kiosk.handwriting.recognizer import Ink
from kiosk.i18n import _
from kiosk.textentry.composer import Composer
from kiosk.textentry.numeric import NumberEntry, NumberKind
from kiosk.textentry.pinyin import engine

from . import theme
from .handwriting import HandwritingPad, recognizer
from .style import S
from .widgets import Automatable, KioskButton, ModalLayer

ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
PUNCTUATION = {EntryKind.PINYIN: ("，", "。", "？"), EntryKind.ENGLISH: (",", ".", "-")}
WRITTEN_SHOWN = 6  # handwriting candidates in the row (the first, the likeliest, drawn largest)


class EntryOverlay(Automatable, ModalLayer):
    """The keyboard over the screen: what to type, the text so far, candidates, keys, OK/Cancel."""

    prompt = StringProperty("")
    shown_text = StringProperty("")
    composing = StringProperty("")
    handwriting = BooleanProperty(False)  # Chinese by the handwriting pad instead of pinyin

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.kind: EntryKind | None = None
        self.composer: Composer | None = None
        self.number: NumberEntry | None = None
        self.on_change: Callable[[str], None] = lambda _text: None
        self.on_close: Callable[[bool], None] = lambda _ok: None
        self.on_speak: Callable[[str], None] = lambda _text: None  # a candidate read aloud
        self.pad: HandwritingPad | None = None
        self.written: list[Written] = []

    def open(self, kind: EntryKind, prompt: str, text: str = "") -> None:
        """Show the keyboard for ``kind``, starting from ``text``."""
        self.kind, self.prompt, self.shown = kind, prompt, True
        if kind in (EntryKind.PHONE, EntryKind.MONTH, EntryKind.PIN, EntryKind.COUNT):
            self.number = NumberEntry(NumberKind(kind.value), "".join(filter(str.isdigit, text)))
            self.composer = None
        else:
            self.composer = Composer(engine() if kind is EntryKind.PINYIN else None)
            self.composer.text, self.number = text, None
        # Elderly mode opens Chinese entry on the pad: writing needs no pinyin.
        self.handwriting = bool(kind is EntryKind.PINYIN and S.elderly and recognizer())
        self.written = []
        self._build_keys()
        self._refresh()

    def close(self) -> None:
        self.shown, self.kind, self.pad, self.written = False, None, None, []
        self.ids.keypad.clear_widgets()
        self.ids.candidates.clear_widgets()

    @property
    def text(self) -> str:
        if self.number is not None:
            return self.number.value or self.number.digits
        return self.composer.text if self.composer else ""

    # ---- keys -----------------------------------------------------------------------------------

    def _build_keys(self) -> None:
        box = self.ids.keypad
        box.clear_widgets()
        if self.number is not None:
            grid = GridLayout(cols=3, spacing=theme.px(10), size_hint=(0.5, 1),
                              pos_hint={"center_x": 0.5})
            for label in "123456789":
                grid.add_widget(self._key(label, label))
            grid.add_widget(self._key(_("Delete"), "back", kind="secondary"))
            grid.add_widget(self._key("0", "0"))
            grid.add_widget(self._key(_("Clear"), "clear", kind="secondary"))
            box.add_widget(grid)
            return
        if self.handwriting:
            self._build_pad(box)
            return
        for row in ROWS:
            line = BoxLayout(spacing=theme.px(8), padding=(theme.px(60) * (ROWS.index(row)), 0))
            for letter in row:
                line.add_widget(self._key(letter.upper() if self._upper else letter, letter))
            box.add_widget(line)
        bottom = BoxLayout(spacing=theme.px(8))
        if self.kind is EntryKind.ENGLISH:
            bottom.add_widget(self._key(_("Capitals"), "shift", kind="secondary"))
        for mark in PUNCTUATION[self.kind or EntryKind.ENGLISH]:
            bottom.add_widget(self._key(mark, mark, kind="secondary"))
        space = self._key(_("Space"), "space", kind="secondary")
        space.size_hint_x = 3
        bottom.add_widget(space)
        bottom.add_widget(self._key(_("Delete"), "back", kind="secondary"))
        if self.kind is EntryKind.PINYIN and recognizer() is not None:
            mode = self._key(_("Handwriting"), "mode", kind="secondary")
            mode.size_hint_x = 1.6  # one line in English too
            bottom.add_widget(mode)
        box.add_widget(bottom)

    def _build_pad(self, box: BoxLayout) -> None:
        """The pad, square, with its keys beside it: undo stroke, write again, punctuation, space,
        delete, and back to pinyin."""
        line = BoxLayout(spacing=theme.px(16))
        self.pad = HandwritingPad(aid="entry_pad", size_hint=(None, 1))
        self.pad.bind(height=lambda pad, height: setattr(pad, "width", height))
        self.pad.on_stroke = self._written
        line.add_widget(self.pad)
        keys = GridLayout(cols=2, spacing=theme.px(8))
        for label, code in ((_("Undo stroke"), "undo"), (_("Write again"), "rewrite"),
                            *((mark, mark) for mark in PUNCTUATION[EntryKind.PINYIN]),
                            (_("Space"), "space"), (_("Delete"), "back"), (_("Pinyin"), "mode")):
            keys.add_widget(self._key(label, code, kind="secondary"))
        line.add_widget(keys)
        box.add_widget(line)

    @property
    def _upper(self) -> bool:
        return bool(self.composer and self.composer.upper)

    def _key(self, label: str, code: str, *, kind: str = "primary") -> KioskButton:
        key = KioskButton(text=label, kind=kind, aid=f"key_{code}")
        key.size_hint_y = 1
        key.bind(on_release=lambda _k: self.press(code))
        return key

    def press(self, code: str) -> None:
        """Act on one key (also the test hook's way in)."""
        if self.number is not None:
            {"back": self.number.backspace, "clear": self.number.clear}.get(
                code, lambda: self.number.press(code) if self.number else None)()
        elif self.composer is not None and (code in ("mode", "undo", "rewrite") or code.startswith("hw")):
            self._press_pad_key(self.composer, code)
        elif self.composer is not None:
            if self.pad is not None and code in ("back", "space") and not self.pad.ink.empty:
                self._clear_ink()  # a half-written character goes before the text does
                if code == "back":
                    code = ""
            if code:
                self._press_letter_key(self.composer, code)
        self._refresh()
        self.on_change(self.text)

    def _press_letter_key(self, composer: Composer, code: str) -> None:
        actions: dict[str, Callable[[], None]] = {
            "back": composer.backspace, "space": composer.space, "shift": composer.shift,
            "next": composer.next_page, "previous": composer.previous_page}
        if code in actions:
            actions[code]()
            if code == "shift":
                self._build_keys()
        elif code.startswith("pick"):
            composer.choose(int(code[4:]))
        else:
            composer.key(code)

    def _press_pad_key(self, composer: Composer, code: str) -> None:
        if code == "mode":
            composer.letters, self.handwriting = "", not self.handwriting
            self._clear_ink()
            self._build_keys()
        elif code == "undo" and self.pad is not None:
            self.pad.undo()
            self._written(self.pad.ink)
        elif code == "rewrite":
            self._clear_ink()
        elif code.startswith("hw") and 0 <= int(code[2:]) < len(self.written):
            chosen = self.written[int(code[2:])].text
            composer.key(chosen)
            self.on_speak(chosen)
            self._clear_ink()

    def _clear_ink(self) -> None:
        if self.pad is not None:
            self.pad.clear()
        self.written = []

    def _written(self, ink: Ink) -> None:
        """A stroke ended (or was taken back): the candidates follow what is on the pad."""
        engine = recognizer()
        self.written = engine.recognize(ink, WRITTEN_SHOWN) if engine and not ink.empty else []
        self._refresh()

    def finish(self, ok: bool) -> None:
        """OK or Cancel."""
        self.on_close(ok)

    # ---- showing --------------------------------------------------------------------------------

    def _refresh(self) -> None:
        if self.number is not None:
            self.shown_text, self.composing = self.number.display, ""
            self.ids.ok.disabled = not self.number.valid
            return
        composer = self.composer
        if composer is None:
            return
        self.shown_text, self.composing = composer.text, composer.letters
        self.ids.ok.disabled = composer.composing
        self._show_candidates(composer)

    def _show_candidates(self, composer: Composer) -> None:
        bar = self.ids.candidates
        bar.clear_widgets()
        if self.kind is not EntryKind.PINYIN:
            return
        if self.handwriting:
            for index, written in enumerate(self.written):
                button = self._key(written.text, f"hw{index}", kind="primary" if index == 0 else "secondary")
                button.aid = f"entry_written_{index}"
                if index == 0:  # the likeliest, largest
                    button.size_hint_x, button.font_size = 1.6, S.font_title * 1.3
                bar.add_widget(button)
            bar.opacity, bar.disabled = (1, False) if self.written else (0, True)
            return
        bar.add_widget(self._key("‹", "previous", kind="secondary"))
        for index, candidate in enumerate(composer.page_of_candidates()):
            button = self._key(candidate.text, f"pick{index}", kind="secondary")
            button.size_hint_x = max(1, len(candidate.text) * 0.7)
            bar.add_widget(button)
        bar.add_widget(self._key("›", "next", kind="secondary"))
        bar.opacity = 1 if composer.composing else 0
        bar.disabled = not composer.composing
