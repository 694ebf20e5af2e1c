"""The spoken instructions: a clip for every step in both languages, generated from the current
words (the manifest keeps a digest of each clip's text), small, and in a format Kivy plays."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.i18n import translate
from kiosk.screens import SCREENS
from kiosk.state import Step
from kiosk.voice import LANGUAGES, PROMPTS, clip_path, manifest, text_digest

SILENT = {Step.ATTRACT, Step.NOTICES, Step.VERIFY_RESULT, Step.MAINTENANCE}  # (the result speaks its verdict's clip)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_clip_exists_is_small_and_is_an_ogg_file(lang: str) -> None:
    for clip in PROMPTS:
        path = clip_path(clip, lang)
        assert path.is_file(), f"{path} missing: run scripts/generate_voice.py"
        data = path.read_bytes()
        assert data[:4] == b"OggS" and b"vorbis" in data[:64]
        assert len(data) < 80_000


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_audio_says_the_current_words(lang: str) -> None:
    stale = [clip for clip, msgid in PROMPTS.items()
             if manifest().get(lang, {}).get(clip) != text_digest(translate(msgid, lang))]
    assert stale == [], f"re-run scripts/generate_voice.py: {stale} changed"


def test_every_step_with_an_instruction_has_a_clip() -> None:
    assert {step.value for step in SCREENS if step not in SILENT} <= set(PROMPTS)
    assert {f"verdict_{v}" for v in ("genuine", "tampered", "untrusted", "expired", "revoked",
                                     "not_yet_valid", "malformed")} <= set(PROMPTS)


def seconds(path: Path) -> float:
    """An Ogg Vorbis file's length: the last page's granule position, in samples (16 kHz)."""
    data = path.read_bytes()
    last = data.rindex(b"OggS")
    return int.from_bytes(data[last + 6:last + 14], "little") / 16_000


@pytest.mark.parametrize("lang", LANGUAGES)
def test_elderly_mode_has_every_clip_spoken_more_slowly(lang: str) -> None:
    for clip in PROMPTS:
        slow, normal = clip_path(clip, lang, slow=True), clip_path(clip, lang)
        assert slow.is_file(), f"{slow} missing: run scripts/generate_voice.py"
        assert slow.read_bytes()[:4] == b"OggS" and len(slow.read_bytes()) < 100_000
        assert seconds(slow) > 1.15 * seconds(normal), clip
