"""Reading written words aloud (text that changes, such as an emergency's notices, so it has no
pre-recorded clip): the ``Speaker`` seam. The kiosk's own is ``kiosk.ui.voice.VoicePlayer`` (espeak-ng,
Debian's, offline: Mandarin ``cmn`` and English); ``SilentSpeaker`` until the window is up. Kivy-free."""

from __future__ import annotations

from typing import Protocol


class Speaker(Protocol):
    def say(self, text: str, lang: str, *, slow: bool = False, wait: bool = False) -> None:
        """Read ``text`` aloud in ``lang`` (``slow`` in elderly mode; ``wait``: after the step's
        spoken instruction has finished, not over it)."""


class SilentSpeaker:
    """Says nothing (no window, no audio): what a flow starts with."""

    def say(self, text: str, lang: str, *, slow: bool = False, wait: bool = False) -> None:
        return None
