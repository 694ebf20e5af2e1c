"""The ticket data files: the shipped ones are complete; broken ones are refused whole."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import assets
from backend.shared.tickets.config import TicketConfig, parse_ticket_config


def test_the_shipped_categories(config: TicketConfig) -> None:
    codes = [c.code for c in config.categories]
    assert codes == ["property_repairs", "environment_sanitation", "neighbour_dispute", "safety_hazard",
                     "public_facilities", "social_assistance", "suggestion", "praise"]
    for category in config.categories:
        assert category.name.zh and category.name.en and category.icon and category.phrases
        assert all(p.zh and p.en for p in category.phrases)
    assert {c.code for c in config.categories if not c.anonymous} == {
        "property_repairs", "neighbour_dispute", "social_assistance"}
    assert set(config.policy.roles) == {"grid_worker", "police_officer", "mediator", "law_enforcement"}
    assert [config.policy.ratings.levels[n].zh for n in (5, 4, 3, 2, 1)] == [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]


def _broken(tmp_path: Path, name: str, change: object) -> Path:
    folder = tmp_path / "tickets"
    shutil.copytree(assets.path("tickets"), folder)
    data = yaml.safe_load((folder / name).read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.mark.parametrize(("name", "change", "message"), [
    ("classification.yaml", lambda d: d["categories"].update({"weather": ["雨"]}), "unknown categories"),
    ("dispatch.yaml", lambda d: d["rules"].pop(), "needs a last rule"),
    ("dispatch.yaml", lambda d: d["rules"][0].update({"role": "wizard"}), "unknown roles"),
    ("categories.yaml", lambda d: d["categories"].append(d["categories"][0]), "used twice"),
    ("categories.yaml", lambda d: d["categories"][0]["deadlines"].update({"normal": {"hours": 1, "days": 1}}),
     "not valid"),
    ("policy.yaml", lambda d: d["ratings"]["levels"].pop(3), "not valid"),
    ("calendar.yaml", lambda d: d.update({"timezone": "Mars/Olympus"}), "calendar is not valid"),
])
def test_broken_data_is_refused(tmp_path: Path, name: str, change: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_ticket_config(_broken(tmp_path, name, change))
