"""The suite's own scheduling: long groups of tests are handed to the workers first."""

from __future__ import annotations

from pathlib import Path

from support.schedule import group_seconds, longest_first

ITEMS = ["unit/a.py::t1", "ui/x.py::t1", "unit/b.py::t1", "ui/y.py::t1", "unit/b.py::t2",
         "integration/ota.py::t1"]


def _group(item: str) -> str:
    module = item.split("::")[0]
    return "ui" if module.startswith("ui/") else module


def test_measured_groups_go_longest_first_keeping_each_groups_order() -> None:
    seconds = {"integration/ota.py": 200.0, "ui": 150.0, "unit/a.py": 0.1, "unit/b.py": 0.5}
    assert longest_first(ITEMS, _group, seconds) == [
        "integration/ota.py::t1", "ui/x.py::t1", "ui/y.py::t1", "unit/b.py::t1", "unit/b.py::t2",
        "unit/a.py::t1"]


def test_a_group_not_measured_yet_counts_a_second_a_test() -> None:
    ordered = longest_first(ITEMS, _group, {"ui": 1.5, "unit/a.py": 0.1, "integration/ota.py": 0.2})
    assert ordered[:2] == ["unit/b.py::t1", "unit/b.py::t2"]  # two tests, two seconds: first


def test_seconds_per_group_from_a_junit_report(tmp_path: Path) -> None:
    report = tmp_path / "results.xml"
    report.write_text(
        '<testsuites><testsuite>'
        '<testcase classname="tests.ui.test_x" name="t1" time="2.5"/>'
        '<testcase classname="tests.ui.test_y.TestWalk" name="t2" time="1.0"/>'
        '<testcase classname="tests.integration.cli.test_up" name="t3" time="9.0"/>'
        '</testsuite></testsuites>')
    assert group_seconds(report, lambda f: "ui" if f.startswith("ui/") else f) == {
        "integration/cli/test_up.py": 9.0, "ui": 3.5}
