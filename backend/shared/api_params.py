"""Integer parameters bounded to what the databases can hold.

An unbounded ``int`` in a path or query lets a caller send 10**30; SQLite and PostgreSQL then
raise OverflowError deep in the driver and the caller gets a 500. Every integer parameter of
both APIs uses one of these, so an out-of-range value is an ordinary 422 (or, for an id, simply
a row that does not exist).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_BIGINT = 2**63 - 1  # PostgreSQL BIGINT and SQLite INTEGER

RowId = Annotated[int, Path(ge=1, le=MAX_BIGINT, description="a row id")]
Cursor = Annotated[int, Query(ge=0, le=MAX_BIGINT, description="after this sequence number")]
Offset = Annotated[int, Query(ge=0, le=1_000_000, description="rows to skip")]

