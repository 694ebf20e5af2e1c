"""The document model: immutable blocks that refuse bad values when built."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest

from devices.printer.document import (
    Barcode,
    Cut,
    Document,
    DocumentError,
    Feed,
    Qr,
    Separator,
    Text,
    Title,
)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Text("x", align="justify"),  # type: ignore[arg-type]
        lambda: Text("x", size=3),
        lambda: Separator("—"),
        lambda: Separator("--"),
        lambda: Qr(""),
        lambda: Qr("x", ec="X"),  # type: ignore[arg-type]
        lambda: Qr("x", module_size=17),
        lambda: Qr("x", max_width_mm=0),
        lambda: Barcode("x", symbology="PDF417"),
        lambda: Barcode("编号"),
        lambda: Barcode("x", height_dots=0),
        lambda: Feed(-1),
        lambda: Cut("half"),  # type: ignore[arg-type]
        lambda: Document(("text",)),  # type: ignore[arg-type]
    ],
)
def test_bad_blocks_are_refused(build: Callable[[], Any]) -> None:
    with pytest.raises(DocumentError):
        build()


def test_blocks_are_immutable_and_defaults_are_the_receipt_ones() -> None:
    qr = Qr("SQ1:ABC")
    assert (qr.ec, qr.module_size, qr.max_width_mm) == ("Q", None, 45.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        qr.ec = "L"  # type: ignore[misc]
    doc = Document.of(Title("居住证明"), Cut())
    assert doc.blocks == (Title("居住证明"), Cut("full"))
