"""Playing the spoken instructions (``kiosk.voice``) with Kivy's SoundLoader. Without an audio
device (or a clip) the kiosk works on silently: logged once, never an error for the resident."""

from __future__ import annotations

import logging
import time
from typing import Any

from kivy.core.audio import Sound, SoundLoader

from kiosk.voice import clip_path

log = logging.getLogger(__name__)


class VoicePlayer:
    """One clip at a time: a new one stops the one playing."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, bool], Sound | None] = {}
        self._playing: Sound | None = None
        self._warned = False
        self.last: dict[str, Any] = {}

    def play(self, clip: str, lang: str, *, slow: bool = False) -> bool:
        """Speak ``clip`` in ``lang`` (``slow``: its slower recording, for elderly mode, where there
        is one); return True if it started."""
        self.stop()
        sound = (slow and self._load(clip, lang, slow=True)) or self._load(clip, lang)
        self.last = {"clip": clip, "lang": lang, "at": time.time(), "played": sound is not None,
                     "slow": bool(slow and self._cache.get((clip, lang, True)))}
        if sound is None:
            return False
        sound.play()
        self._playing = sound
        return True

    def say(self, text: str, lang: str) -> bool:
        """Read one written character aloud (a handwriting candidate touched): its clip
        ``char_<code point>`` if one was generated; otherwise only recorded, silently."""
        played = len(text) == 1 and self.play(f"char_{ord(text):x}", lang)
        self.last = {**self.last, "said": text}
        return played

    def stop(self) -> None:
        if self._playing is not None:
            self._playing.stop()
            self._playing = None

    def _load(self, clip: str, lang: str, *, slow: bool = False) -> Sound | None:
        key = (clip, lang, slow)
        if key not in self._cache:
            path = clip_path(clip, lang, slow=slow)
            sound = SoundLoader.load(str(path)) if path.is_file() else None
            if sound is None or not sound.length:
                self._warn(f"cannot play {path} (no audio device, or the clip is missing)")
                sound = None
            self._cache[key] = sound
        return self._cache[key]

    def _warn(self, message: str) -> None:
        if not self._warned:
            self._warned = True
            log.warning("voice guidance: %s", message)
        else:
            log.debug("voice guidance: %s", message)
