"""The recognizer the pad uses: zinnia (stroke by stroke, in stroke order) fused with the ink's
shape compared with font glyphs (``shapes``: no stroke order at all).

Candidates: zinnia's first ``POOL`` (its readings' scores added, ``ZinniaRecognizer``) and the
``POOL`` characters whose glyphs look most like the ink. Each one's score:
``ZINNIA_WEIGHT × zinnia / zinnia's best + (1 − ZINNIA_WEIGHT) × exp((similarity − best) / SPREAD)``
(a candidate one of them did not offer counts 0 there). The two err differently: zinnia misses
characters written in another stroke order than it learnt, the shapes miss what a font draws
otherwise than a hand writes.

The templates take ~20 s to build the first time (then they are read from the user's cache, or
``python -m kiosk.handwriting.shapes`` builds them ahead, as scripts/setup does): they load in a
background thread, and until they are there — or when no font is installed — zinnia answers alone.
``ZINNIA_WEIGHT`` and ``SPREAD`` were chosen with the benchmark's ``--tune`` (seed 100, the
characters at even positions)."""

from __future__ import annotations

import logging
import math
import threading
from typing import TYPE_CHECKING

from .recognizer import Candidate, Ink, RecognizerUnavailable
from .zinnia import POOL, ZinniaRecognizer

if TYPE_CHECKING:
    from .shapes import FontTemplates

log = logging.getLogger(__name__)

ZINNIA_WEIGHT = 0.45
SPREAD = 0.04


def fuse(zinnia: list[tuple[str, float]], shapes: list[tuple[str, float]], *,
         similarity: dict[str, float] | None = None, weight: float = ZINNIA_WEIGHT,
         spread: float = SPREAD) -> list[tuple[str, float]]:
    """Both answers (each best first) as one ranking, best first. ``similarity``: the shapes'
    similarity of characters beyond their own candidates (zinnia's), when known."""
    top_z = max((score for _, score in zinnia), default=0.0) or 1.0
    top_s = shapes[0][1] if shapes else 0.0
    similar = dict(similarity or {})
    similar.update(shapes)
    totals: dict[str, float] = {}
    for text in dict.fromkeys([t for t, _ in zinnia] + [t for t, _ in shapes]):
        totals[text] = 0.0
    for text, score in zinnia:
        totals[text] += weight * score / top_z
    if shapes:
        for text in totals:
            if text in similar:
                totals[text] += (1 - weight) * math.exp((similar[text] - top_s) / spread)
    return sorted(totals.items(), key=lambda item: -item[1])


class FusedRecognizer:
    """A ``Recognizer``: zinnia, and the font templates once they are loaded (zinnia alone before,
    or when they cannot be)."""

    def __init__(self, zinnia: ZinniaRecognizer | None = None, templates: FontTemplates | None = None,
                 *, background: bool = True) -> None:
        self.zinnia = zinnia if zinnia is not None else ZinniaRecognizer()
        self.templates = templates
        self._ready = threading.Event()
        if templates is not None:
            self._ready.set()
        elif background:
            threading.Thread(target=self._load, name="handwriting-templates", daemon=True).start()
        else:
            self._load()

    def _load(self) -> None:
        try:
            from .shapes import FontTemplates  # (numpy: a venv set up before it was needed lacks it)

            self.templates = FontTemplates()
            log.info("handwriting: font templates loaded (%s)",
                     ", ".join(path.name for path, _ in self.templates.fonts))
        except (RecognizerUnavailable, ImportError) as exc:
            log.warning("handwriting: zinnia alone, %s", exc)
        except Exception:  # a broken font or cache must not take the pad away
            log.exception("handwriting: zinnia alone, the font templates failed to load")
        finally:
            self._ready.set()

    def wait_ready(self, timeout: float | None = None) -> bool:
        """Wait for the templates' loading to end (loaded or not); whether it has."""
        return self._ready.wait(timeout)

    def recognize(self, ink: Ink, limit: int = 10) -> list[Candidate]:
        if ink.empty or limit <= 0:
            return []
        zinnia = [(c.text, c.score) for c in self.zinnia.recognize(ink, limit=max(limit, POOL))]
        templates = self.templates
        if templates is None:
            return [Candidate(text, score) for text, score in zinnia[:limit]]
        scores = templates.scores(ink)
        index = templates.index
        similarity = {text: float(scores[index[text]]) for text, _ in zinnia if text in index}
        shapes = templates.best(scores, max(limit, POOL))
        ranked = fuse(zinnia, shapes, similarity=similarity)[:limit]
        return [Candidate(text, score) for text, score in ranked]
