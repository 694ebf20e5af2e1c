"""Generate the kiosk's spoken instructions: assets/sounds/<lang>/<clip>.ogg and manifest.json.

Run by hand after changing a prompt (kiosk/voice.py) or its translation (assets/i18n); the test
tests/unit/kiosk/test_voice.py says when the audio is stale. Needs two Debian packages, only here
(the kiosk itself plays the files with Kivy and needs neither):

    apt-get install --no-install-recommends espeak-ng vorbis-tools
    .venv/bin/python scripts/generate_voice.py

espeak-ng speaks Mandarin with its "cmn" voice and English with "en-gb", a little slower than its
default for elderly listeners; oggenc makes 16 kHz mono Ogg Vorbis (Kivy's SDL2 loader plays it),
about 15-40 kB a clip. Elderly mode plays a second, slower recording of each clip (slow/).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kiosk.i18n import translate
from kiosk.voice import LANGUAGES, PROMPTS, clip_path, sounds_dir, text_digest
from kiosk.voice import manifest as read_manifest

VOICES = {"zh_CN": ("cmn", 140), "en": ("en-gb", 140)}  # espeak-ng voice, words per minute
ELDERLY_SPEED = 105  # elderly mode's slower recordings (assets/sounds/<lang>/slow/), a quarter slower


def speak(text: str, lang: str, target: Path, *, speed: int = 0) -> None:
    """Write ``text`` spoken in ``lang`` to ``target`` (Ogg Vorbis)."""
    voice, normal = VOICES[lang]
    speed = speed or normal
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        wav = Path(folder) / "clip.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(wav), text], check=True)
        subprocess.run(["oggenc", "--quiet", "-q", "1", "--resample", "16000",
                        "-o", str(target), str(wav)], check=True)


def main() -> int:
    for tool in ("espeak-ng", "oggenc"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: apt-get install espeak-ng vorbis-tools", file=sys.stderr)
            return 1
    before = read_manifest()
    manifest: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        manifest[lang] = {}
        for clip, msgid in sorted(PROMPTS.items()):
            text = translate(msgid, lang)
            digest = text_digest(text)
            # Only what changed or is missing (a re-run leaves unchanged clips byte for byte).
            current = before.get(lang, {}).get(clip) == digest
            if not (current and clip_path(clip, lang).is_file()):
                speak(text, lang, clip_path(clip, lang))
            if not (current and clip_path(clip, lang, slow=True).is_file()):
                speak(text, lang, clip_path(clip, lang, slow=True), speed=ELDERLY_SPEED)
            manifest[lang][clip] = digest
    (sounds_dir() / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    total = sum(p.stat().st_size for p in sounds_dir().rglob("*.ogg"))
    print(f"{sum(len(m) for m in manifest.values())} clips, {total // 1024} kB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
