"""The seed district file: Qiongshan's tree, codes that nest, demo codes marked."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.shared.district import DISTRICT_FILE, load_district


def test_the_seed_district_is_qiongshan_in_haikou() -> None:
    district = load_district()
    assert (district.province.code[:6], district.city.code[:6], district.district.code[:6]) == \
        ("460000", "460100", "460107")
    assert {"国兴街道", "府城街道", "滨江街道", "凤翔街道", "龙塘镇", "旧州镇"} <= {s.zh for s in district.streets}
    assert {"桂林社区", "府城社区", "鼓楼社区", "北冲溪社区"} <= {c.zh for c in district.communities}
    station = district.station_community
    assert station.zh == "桂林社区" and station.children  # the demo station's community has grids


def test_every_code_below_the_district_is_marked_until_checked() -> None:
    district = load_district()
    assert not any(u.demo_code for u in (district.province, district.city, district.district))
    assert all(s.demo_code for s in district.streets)
    assert all(c.demo_code for c in district.communities)


@pytest.mark.parametrize(("before", "after"), [
    ('code: "460107002001"\n', 'code: "460108002001"\n'),  # a community outside its street
    ("station: true", "station: false"),                 # no community for the demo station
    ('{code: "460107003000"', '{code: "460107001000"'),   # a code used twice
])
def test_a_broken_tree_is_refused(tmp_path: Path, before: str, after: str) -> None:
    text = DISTRICT_FILE.read_text(encoding="utf-8")
    assert before in text
    broken = tmp_path / "district.yaml"
    broken.write_text(text.replace(before, after, 1), encoding="utf-8")
    with pytest.raises(ValueError):
        load_district(broken)
