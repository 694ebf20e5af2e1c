"""Playing the spoken instructions (``kiosk.voice``) with Kivy's SoundLoader. Without an audio
device (or a clip) the kiosk works on silently: logged once, never an error for the resident."""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.audio import Sound, SoundLoader

from kiosk.voice import clip_path

log = logging.getLogger(__name__)


WAIT_STEP, WAIT_LIMIT = 0.25, 20.0  # ``say(wait=True)``: how often to look, and for how long at most
SPOKEN = {"zh_CN": ("cmn", 140), "en": ("en-gb", 140)}  # espeak-ng voice and speed, as the clips


class VoicePlayer:
    """One clip at a time: a new one stops the one playing."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str, bool], Sound | None] = {}
        self._playing: Sound | None = None
        self._warned = False
        self.last: dict[str, Any] = {}
        self._said: Path | None = None  # words synthesized for ``say``, kept for the process
        self._turn = 0  # each ``say`` and ``stop`` moves it on: words still waiting after a stop stay unsaid

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

    def say(self, text: str, lang: str, *, slow: bool = False, wait: bool = False) -> None:
        """Read a few written words aloud (a handwriting candidate touched, an emergency notice),
        synthesized on the spot by espeak-ng (Debian's, ~20 ms a character, off the UI thread);
        silently without it. ``wait``: let the clip playing now finish first (``kiosk.speech``)."""
        self.last = {**self.last, "said": text, "spoken": False, "at": time.time()}
        self._turn += 1
        turn = self._turn
        espeak = shutil.which("espeak-ng")
        if espeak is None or not text.strip():
            return
        voice, speed = SPOKEN[lang] if lang in SPOKEN else SPOKEN["zh_CN"]
        folder = self._said_dir()
        target = folder / f"{abs(hash((text, voice, slow)))}.wav"

        def synthesize() -> None:
            try:
                if not target.is_file():
                    subprocess.run([espeak, "-v", voice, "-s", str(speed * 3 // 4 if slow else speed),
                                    "-w", str(target), text], check=True, timeout=20,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, subprocess.SubprocessError) as exc:
                self._warn(f"espeak-ng could not say the words: {exc}")
                return
            Clock.schedule_once(lambda _dt: self._play_said(text, target, turn, WAIT_LIMIT if wait else 0))

        threading.Thread(target=synthesize, name="say", daemon=True).start()

    def _play_said(self, text: str, path: Path, turn: int, wait: float = 0) -> None:
        if turn != self._turn:
            return  # another candidate was touched meanwhile, or the voice was stopped (muted, left)
        playing = self._playing
        if wait > 0 and playing is not None and playing.state == "play":  # the step's instruction first
            Clock.schedule_once(lambda _dt: self._play_said(text, path, turn, wait - WAIT_STEP), WAIT_STEP)
            return
        self.stop()
        sound = SoundLoader.load(str(path))
        if sound is not None and sound.length:
            sound.play()
            self._playing = sound
            self.last = {**self.last, "spoken": True}

    def _said_dir(self) -> Path:
        if self._said is None:
            self._said = Path(tempfile.mkdtemp(prefix="kiosk-said-"))
        return self._said

    def stop(self) -> None:
        self._turn += 1
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
