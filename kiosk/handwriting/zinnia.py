"""Debian's zinnia (``libzinnia0``, an SVM-based online handwriting recognizer) through ctypes,
with the simplified Chinese model of ``tegaki-zinnia-simplified-chinese``. Both are installed by
scripts/setup. ctypes rather than a compiled extension: the C API is eight functions, and the
package then needs no compiler or zinnia's Python bindings (not packaged for Python 3 in Debian)."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import threading
from pathlib import Path

from .normalize import READINGS, WALK_WEIGHT, ends_in_walk, normalize, walk_first
from .recognizer import Candidate, Ink, RecognizerUnavailable

LIBRARY_NAMES = ("libzinnia.so.0", "zinnia")
MODEL = Path("/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model")
# zinnia scales the ink to its own square; the tegaki models were trained on a 1000 × 1000 pad.
MODEL_SIZE = 1000
# Candidates asked of each reading before they are fused (more than shown: a character fourth in
# one reading and eighth in another can end up among the first five).
POOL = 20


def _load_library() -> ctypes.CDLL:
    for name in LIBRARY_NAMES:
        path = name if name.endswith(".0") else ctypes.util.find_library(name)
        if not path:
            continue
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        _declare(lib)
        return lib
    raise RecognizerUnavailable("libzinnia is not installed (apt-get install libzinnia0)")


def _declare(lib: ctypes.CDLL) -> None:
    p, size, c_int, c_float = ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_float
    signatures: dict[str, tuple[type | None, list[type]]] = {
        "zinnia_recognizer_new": (p, []),
        "zinnia_recognizer_open": (c_int, [p, ctypes.c_char_p]),
        "zinnia_recognizer_strerror": (ctypes.c_char_p, [p]),
        "zinnia_recognizer_classify": (p, [p, p, size]),
        "zinnia_recognizer_destroy": (None, [p]),
        "zinnia_character_new": (p, []),
        "zinnia_character_set_width": (None, [p, size]),
        "zinnia_character_set_height": (None, [p, size]),
        "zinnia_character_add": (c_int, [p, size, c_int, c_int]),
        "zinnia_character_destroy": (None, [p]),
        "zinnia_result_value": (ctypes.c_char_p, [p, size]),
        "zinnia_result_score": (c_float, [p, size]),
        "zinnia_result_size": (size, [p]),
        "zinnia_result_destroy": (None, [p]),
    }
    for name, (restype, argtypes) in signatures.items():
        function = getattr(lib, name)
        function.restype, function.argtypes = restype, argtypes


class ZinniaRecognizer:
    """A ``Recognizer`` over one loaded zinnia model. Thread-safe (one classification at a time)."""

    def __init__(self, model: Path = MODEL, *, normalized: bool = True) -> None:
        self.normalized = normalized  # (False: the ink as written, scaled to the square only)
        if not model.is_file():
            raise RecognizerUnavailable(
                f"no handwriting model at {model} (apt-get install tegaki-zinnia-simplified-chinese)")
        self._lib = _load_library()
        self._lock = threading.Lock()
        self._handle = self._lib.zinnia_recognizer_new()
        if not self._lib.zinnia_recognizer_open(self._handle, str(model).encode()):
            reason = self._lib.zinnia_recognizer_strerror(self._handle) or b""
            self._lib.zinnia_recognizer_destroy(self._handle)
            self._handle = None
            raise RecognizerUnavailable(f"zinnia cannot open {model}: {reason.decode(errors='replace')}")

    def recognize(self, ink: Ink, limit: int = 10) -> list[Candidate]:
        if ink.empty or limit <= 0 or self._handle is None:
            return []
        if not self.normalized:
            return [Candidate(text, score) for text, score in self._classify(ink, limit)]
        # Several readings of the ink, each smoothed and fitted to the model's square (``normalize``:
        # where and how large it was written no longer matters), each asked for ``POOL`` candidates;
        # a candidate's scores, each above its reading's lowest, are added up.
        # When the ink ends in what looks like 辶, it is read once more with 辶 first, as the model
        # learnt it, and that reading counts ``WALK_WEIGHT`` times.
        readings = [(reading, 1.0) for reading in READINGS.values()]
        if ends_in_walk(normalize(ink, MODEL_SIZE)):
            readings.append((walk_first, WALK_WEIGHT))
        totals: dict[str, float] = {}
        for reading, weight in readings:
            answer = self._classify(reading(ink, MODEL_SIZE), max(limit, POOL))
            if not answer:
                continue
            lowest = min(score for _, score in answer)
            for text, score in answer:
                totals[text] = totals.get(text, 0.0) + weight * (score - lowest)
        ranked = sorted(totals.items(), key=lambda item: -item[1])[:limit]
        return [Candidate(text, score) for text, score in ranked]

    def _classify(self, ink: Ink, limit: int) -> list[tuple[str, float]]:
        lib = self._lib
        scale = MODEL_SIZE / max(ink.width, ink.height, 1e-9)
        with self._lock:
            if self._handle is None:
                return []
            character = lib.zinnia_character_new()
            try:
                lib.zinnia_character_set_width(character, MODEL_SIZE)
                lib.zinnia_character_set_height(character, MODEL_SIZE)
                for index, stroke in enumerate(s for s in ink.strokes if s):
                    for x, y in stroke:
                        lib.zinnia_character_add(character, index, round(x * scale), round(y * scale))
                result = lib.zinnia_recognizer_classify(self._handle, character, limit)
                if not result:
                    return []
                try:
                    return [(lib.zinnia_result_value(result, i).decode("utf-8"),
                             float(lib.zinnia_result_score(result, i)))
                            for i in range(lib.zinnia_result_size(result))]
                finally:
                    lib.zinnia_result_destroy(result)
            finally:
                lib.zinnia_character_destroy(character)

    def close(self) -> None:
        if self._handle is not None:
            self._lib.zinnia_recognizer_destroy(self._handle)
            self._handle = None

    def __del__(self) -> None:  # the model is ~10 MB of C memory
        with contextlib.suppress(Exception):  # at interpreter shutdown ctypes may be gone
            self.close()
