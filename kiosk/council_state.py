"""What the 小区议事堂 screens render: the resident's compound and its proposals, the one shown, and
the proposal being written. Personal: cleared with the visit (``FlowState``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .records import Text, TicketCategory
from .records.council import CouncilCategory, Proposal


@dataclass
class CouncilState:
    categories: list[CouncilCategory] = field(default_factory=list)
    phrases: dict[str, TicketCategory] = field(default_factory=dict)  # category code -> its phrases
    compound: str = ""  # the resident's compound ("" when not registered in one)
    compound_name: Text | None = None
    proposals: list[Proposal] = field(default_factory=list)
    proposal: Proposal | None = None  # the one shown
    message: Text | None = None  # what supporting or printing it did (or why not)
    refused: bool = False  # ``message`` is a refusal
    # the proposal being written
    category: str = ""
    chosen: list[str] = field(default_factory=list)  # phrase codes, in the order touched
    title: str = ""
    text: str = ""
    photo: bytes | None = None  # the photo to send (optional)
    preview: bytes | None = None  # a photo just taken, not yet accepted
    photo_problem: str | None = None  # msgid: why there is no photo
    idempotency_key: str | None = None  # one per proposal; a retry re-sends it
    raised: Proposal | None = None
    slip_printed: bool = False
    slip_problem: Text | None = None
