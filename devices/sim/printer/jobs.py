"""Job records: each print job stored as NNNN.bin, NNNN.txt, NNNN.png and NNNN.json."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import zxingcpp
from PIL import Image

from .page import Barcode, QrSymbol
from .render_png import FontFile, render_png
from .render_text import render_text
from .session import SessionResult

log = logging.getLogger(__name__)
_JOB_FILE = re.compile(r"^(\d{4,})\.json$")


@dataclass(frozen=True)
class JobRecord:
    """What one connection printed, as stored in NNNN.json."""

    id: int
    started: str
    ended: str
    bytes: int
    status: str  # "complete" or "aborted"
    reason: str | None
    lines_printed: int
    dot_width: int
    unknown_commands: list[dict[str, Any]]
    qr_codes: list[dict[str, Any]]
    barcodes: list[dict[str, Any]]
    scanned: list[dict[str, str]]  # what a scanner reads from the rendered PNG
    replies: list[dict[str, Any]]
    ignored_commands: dict[str, int]
    warnings: list[str]
    files: dict[str, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return self.status == "complete"

    @property
    def text(self) -> str:
        """Return the job's rendered text (NNNN.txt)."""
        return Path(self.files["txt"]).read_text(encoding="utf-8")

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class RenderedJob:
    result: SessionResult
    text: str
    image: Image.Image
    scanned: list[dict[str, str]]


def render(result: SessionResult, font: FontFile | None = None) -> RenderedJob:
    """Render a finished session as text and image, and scan the image like a reader would."""
    image = render_png(result.page, font)
    return RenderedJob(result, render_text(result.page), image, scan(image))


def scan(image: Image.Image) -> list[dict[str, str]]:
    """Return every QR code and barcode a scanner library finds in the image."""
    found = zxingcpp.read_barcodes(image.convert("L"))
    return [_scanned(code) for code in found]


def _scanned(code: zxingcpp.Barcode) -> dict[str, str]:
    out = {"format": str(code.format).rsplit(".", 1)[-1], "text": code.text}
    if code.ec_level:
        out["error_correction"] = code.ec_level
    return out


class JobStore:
    """The jobs folder: numbering, writing, and waiting for the next job."""

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._records: list[JobRecord] = []
        self._next_id = _highest_id(self.directory) + 1
        self._changed = threading.Condition()

    def add(self, job: RenderedJob) -> JobRecord:
        """Number the job, write its four files, and wake anyone waiting for it."""
        with self._changed:
            record = _record(self._next_id, job, self.directory)
            self._write(record, job)
            self._next_id += 1
            self._records.append(record)
            self._changed.notify_all()
        log.info("printer job %04d %s (%d bytes, %d lines)", record.id, record.status,
                 record.bytes, record.lines_printed)
        return record

    def jobs(self) -> list[JobRecord]:
        """Return the jobs recorded since the simulator started, oldest first."""
        with self._changed:
            return list(self._records)

    def wait_for(self, after_id: int, timeout: float) -> JobRecord:
        """Return the first job numbered after after_id; raise TimeoutError if none comes."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while True:
                for record in self._records:
                    if record.id > after_id:
                        return record
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"no printer job after {after_id} within {timeout} s")
                self._changed.wait(left)

    def _write(self, record: JobRecord, job: RenderedJob) -> None:
        files = record.files
        Path(files["bin"]).write_bytes(job.result.raw)
        Path(files["txt"]).write_text(job.text, encoding="utf-8")
        job.image.save(files["png"])
        Path(files["json"]).write_text(
            json.dumps(record.as_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _highest_id(directory: Path) -> int:
    ids = [int(m.group(1)) for p in directory.iterdir() if (m := _JOB_FILE.match(p.name))]
    return max(ids, default=0)


def _record(job_id: int, job: RenderedJob, directory: Path) -> JobRecord:
    r = job.result
    stem = directory / f"{job_id:04d}"
    return JobRecord(
        id=job_id, started=r.started, ended=r.ended, bytes=len(r.raw),
        status="aborted" if r.reason else "complete", reason=r.reason,
        lines_printed=r.page.lines, dot_width=r.page.dot_width,
        unknown_commands=[p.as_dict() for p in r.problems],
        qr_codes=[_qr_dict(b) for b in r.page.blocks if isinstance(b, QrSymbol)],
        barcodes=[_barcode_dict(b) for b in r.page.blocks if isinstance(b, Barcode)],
        scanned=job.scanned, replies=[reply.as_dict() for reply in r.replies],
        ignored_commands=r.ignored, warnings=r.warnings,
        files={ext: str(stem.with_suffix(f".{ext}")) for ext in ("bin", "txt", "png", "json")},
    )


def _qr_dict(symbol: QrSymbol) -> dict[str, Any]:
    return {"payload": symbol.payload.decode("utf-8", errors="replace"),
            "payload_hex": symbol.payload.hex(), "error_correction": symbol.ec,
            "module_size": symbol.module, "model": symbol.model, "modules": len(symbol.matrix)}


def _barcode_dict(code: Barcode) -> dict[str, Any]:
    return {"system": code.system, "data": code.data.decode("latin-1"), "content": code.content,
            "drawn": bool(code.modules), "problem": code.problem}
