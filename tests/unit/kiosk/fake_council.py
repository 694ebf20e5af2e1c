"""The fake station's 小区议事堂 calls, mixed into ``FakeStation``: the resident's compound and its
proposals, support once per household (council.already_supported the second time), one proposal
per idempotency key (a retry gets the same one), and the print route."""

from __future__ import annotations

from typing import Any

from kiosk.errors import StationError
from kiosk.records.council import CompoundProposals, CouncilCategory, Proposal

STATE_WORDS = {"open": {"zh": "征集支持中", "en": "Collecting support"},
               "decided": {"zh": "议事堂已作出决定", "en": "Decided by the council"}}


def proposal(proposal_id: str = "p-1", *, supporters: int = 2, threshold: int = 3, state: str = "open",
             supported: bool = False, decision: str = "") -> dict[str, Any]:
    return {"id": proposal_id, "compound": "GL-01", "category": "public_facilities",
            "title": "楼下加装休息座椅", "text": "老人买菜回来没地方坐", "state": state,
            "state_words": STATE_WORDS[state], "supporters": supporters, "threshold": threshold,
            "decision": decision, "supported": supported}


def refused(code: str, zh: str, en: str) -> StationError:
    return StationError(code, {"zh": zh, "en": en}, status=409)


class FakeCouncil:
    def _record(self, name: str, **kwargs: Any) -> None:
        raise NotImplementedError

    @property
    def council(self) -> dict[str, Any]:
        """The fake's council: compound, proposals by id, households' supports, raised by key."""
        return self.__dict__.setdefault("_council", {
            "compound": "GL-01", "proposals": {"p-1": proposal(),
                                               "p-2": proposal("p-2", state="decided", supporters=3,
                                                               supported=True, decision="同意，下月施工")},
            "raised": {}, "printed": []})

    def council_categories(self) -> list[CouncilCategory]:
        self._record("council_categories")
        return [CouncilCategory.parse({"code": "property_repairs", "name": {"zh": "物业维修", "en": "Repairs"}}),
                CouncilCategory.parse({"code": "public_facilities", "name": {"zh": "公共设施", "en": "Facilities"}})]

    def council_mine(self, session_id: str) -> CompoundProposals:
        self._record("council_mine", session_id=session_id)
        council = self.council
        if not council["compound"]:
            return CompoundProposals.parse({"compound": "", "name": {}, "proposals": []})
        return CompoundProposals.parse({"compound": council["compound"],
                                        "name": {"zh": "桂林花园", "en": "Guilin Garden"},
                                        "proposals": list(council["proposals"].values())})

    def support_proposal(self, proposal_id: str, *, session_id: str) -> Proposal:
        self._record("support_proposal", proposal_id=proposal_id)
        found = self.council["proposals"][proposal_id]
        if found["supported"]:
            raise refused("council.already_supported", "您家已经支持过这条议题了（每户一次）。",
                          "Your household has already supported this proposal (once per household).")
        found["supported"], found["supporters"] = True, found["supporters"] + 1
        return Proposal.parse({k: v for k, v in found.items() if k != "supported"})

    def raise_proposal(self, *, session_id: str, compound: str, category: str, title: str, text: str,
                       idempotency_key: str, photo: bytes | None = None) -> Proposal:
        self._record("raise_proposal", compound=compound, category=category, title=title, text=text,
                     idempotency_key=idempotency_key, photo=photo)
        raised = self.council["raised"]
        if idempotency_key not in raised:
            raised[idempotency_key] = proposal(f"9f3c2a1b-{len(raised)}", supporters=1) | {
                "title": title, "text": text, "category": category}
        return Proposal.parse(raised[idempotency_key])

    def print_proposal(self, proposal_id: str) -> Proposal:
        self._record("print_proposal", proposal_id=proposal_id)
        self.council["printed"].append(proposal_id)
        found = self.council["proposals"].get(proposal_id) or next(
            p for p in self.council["raised"].values() if p["id"] == proposal_id)
        return Proposal.parse(found)
