"""Spoken instructions: one clip per step, in both languages, pre-generated from these msgids by
``scripts/generate_voice.py`` (espeak-ng) into assets/sounds/<lang>/<clip>.ogg, with a manifest
recording each clip's text so a test can tell when the audio no longer matches the words.
Kivy-free; ``kiosk.ui.voice`` plays them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import assets

from .i18n import N_
from .verify import VERDICTS

# clip -> what it says (a msgid: the screen's own prompt where it says it well)
PROMPTS: dict[str, str] = {
    "home": N_("Please choose a service. Touch one of the big buttons on the screen."),
    "wait_card": N_("Please place your ID card on the card reader below the screen."),
    "identity": N_("Please check your details. If they are yours, touch Yes, this is me."),
    "choose_type": N_("Which certificate do you need?"),
    "choose_purpose": N_("What do you need the certificate for? Touch one of the buttons."),
    "confirm": N_("Please check. The certificate will be printed with these details."),
    "printing": N_("Printing. Please wait a few seconds."),
    "done": N_("Your certificate is printed. Please take it from the slot below the screen."),
    "error": N_("Sorry, this could not be done. The screen says why, and what you can do."),
    "scan_code": N_("Please hold the QR code printed on the certificate under the scanner below the screen."),
    "thanks": N_("Thank you for using the service station."),
    "help": N_("How to use this station"),
    "idle": N_("Are you still there? Touch the screen to continue."),
    **{f"verdict_{verdict}": view.headline for verdict, view in VERDICTS.items()},
}
LANGUAGES = ("zh_CN", "en")


def sounds_dir() -> Path:
    return assets.path("sounds")


def clip_path(clip: str, lang: str) -> Path:
    """Return where a clip's audio file is (it may be missing)."""
    return sounds_dir() / lang / f"{clip}.ogg"


def text_digest(text: str) -> str:
    """Return the short hash the manifest keeps of a clip's text."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def manifest() -> dict[str, dict[str, str]]:
    """Return {lang: {clip: text digest}} of the generated audio."""
    path = sounds_dir() / "manifest.json"
    if not path.is_file():
        return {}
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data
