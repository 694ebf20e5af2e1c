"""Log files a kiosk can keep for months: JSON lines, rotated by size, owner-only, and never a
full ID number or mobile number (masked in the message, its arguments and any traceback).

One JSON object per line (``ts`` in UTC, ``level``, ``logger``, ``msg``, and ``exc`` when there is
a traceback), so a technician can ``grep`` and ``jq`` it and a collector can ship it as is.
"""

from __future__ import annotations

import io
import json
import logging
import logging.handlers
import os
from datetime import UTC, datetime
from pathlib import Path

from .redact import scrub

SUFFIX = ".jsonl"


class RedactingFilter(logging.Filter):
    """Render a record's message with its arguments, masked; nothing unmasked survives the filter."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a bad format string: keep what can be shown
            message = f"{record.msg} {record.args}"
        record.msg, record.args = scrub(message), None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per record."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "msg": scrub(record.getMessage()),
                 "pid": record.process, "thread": record.threadName}
        if record.exc_info:
            entry["exc"] = scrub(self.formatException(record.exc_info))
        elif record.exc_text:
            entry["exc"] = scrub(record.exc_text)
        return json.dumps(entry, ensure_ascii=False)


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A size-rotated file that only its owner may read, whatever the umask."""

    def _open(self) -> io.TextIOWrapper:
        stream = super()._open()
        os.chmod(self.baseFilename, 0o600)
        return stream


def json_file_handler(folder: Path, name: str, *, max_bytes: int, backup_count: int) -> logging.Handler:
    """A handler writing ``<folder>/<name>.jsonl``, rotated at ``max_bytes``, keeping ``backup_count``."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = PrivateRotatingFileHandler(folder / f"{name}{SUFFIX}", maxBytes=max_bytes,
                                         backupCount=backup_count, encoding="utf-8")
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RedactingFilter())
    return handler


def log_to_file(folder: Path, name: str, *, max_bytes: int = 10 * 1024 * 1024,
                backup_count: int = 5) -> logging.Handler:
    """Add a JSON-lines file to the root logger (once per file); return its handler."""
    root = logging.getLogger()
    target = str((folder / f"{name}{SUFFIX}").resolve())
    for handler in root.handlers:
        if isinstance(handler, PrivateRotatingFileHandler) and handler.baseFilename == target:
            return handler
    handler = json_file_handler(folder, name, max_bytes=max_bytes, backup_count=backup_count)
    root.addHandler(handler)
    return handler
