"""The Prometheus rules pass ``promtool check rules`` and fire as intended (``promtool test
rules``); the rules and the Grafana dashboard name only metrics the platform's /metrics exposes,
and the dashboard has the shape Grafana's JSON model loads (panels with grid positions and
Prometheus targets)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from fastapi.testclient import TestClient

from backend.platform.app import create_app
from backend.platform.clock import FrozenClock
from backend.platform.live import InProcessLiveBus
from backend.platform.runtime import build_runtime
from backend.platform.settings import PlatformSettings

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"
RULES = DEPLOY / "prometheus" / "kiosk-rules.yml"
DASHBOARD = DEPLOY / "grafana" / "kiosk-fleet.json"
METRIC = re.compile(r"\b(kiosk_platform_[a-z_]+|kiosk:[a-z_:]+)")
SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(PROMTOOL is None, reason="promtool is missing (Debian package "
                                    "`prometheus`; scripts/setup --test installs it)")

RULE_TEST = """
rule_files: [{rules}]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'kiosk_platform_community_stations{{community="460107002001"}}'
        values: '4x20'
      - series: 'kiosk_platform_community_stations_online{{community="460107002001"}}'
        values: '4x5 1x15'
    alert_rule_test:
      - eval_time: 4m
        alertname: KioskCommunityStationsOffline
        exp_alerts: []
      - eval_time: 15m
        alertname: KioskCommunityStationsOffline
        exp_alerts:
          - exp_labels: {{severity: warning, community: "460107002001"}}
            exp_annotations:
              summary: "社区 460107002001 过半服务站离线 / half the stations of 460107002001 are offline"
"""


@needs_promtool
def test_rules_pass_promtool_check() -> None:
    result = subprocess.run([str(PROMTOOL), "check", "rules", str(RULES)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@needs_promtool
def test_half_a_community_offline_fires_after_five_minutes(tmp_path: Path) -> None:
    test_file = tmp_path / "rules_test.yml"
    test_file.write_text(RULE_TEST.format(rules=RULES), encoding="utf-8")
    result = subprocess.run([str(PROMTOOL), "test", "rules", str(test_file)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def exposed(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The metric families a freshly started platform's /metrics declares."""
    from datetime import UTC, datetime

    folder = tmp_path_factory.mktemp("metrics") / "platform"
    runtime = build_runtime(PlatformSettings(data_dir=folder), clock=FrozenClock(datetime.now(UTC)),
                            live=InProcessLiveBus())
    try:
        text = TestClient(create_app(runtime=runtime)).get("/metrics").text
    finally:
        runtime.engine.dispose()
    return set(re.findall(r"^# TYPE (\S+) ", text, flags=re.MULTILINE))


def _known(name: str, exposed: set[str], recorded: set[str]) -> bool:
    bare = next((name[: -len(s)] for s in SUFFIXES if name.endswith(s)), name)
    return name in recorded or name in exposed or bare in exposed


def _recorded() -> set[str]:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    return {rule["record"] for group in groups for rule in group["rules"] if "record" in rule}


def test_rules_name_only_exposed_metrics(exposed: set[str]) -> None:
    groups = yaml.safe_load(RULES.read_text(encoding="utf-8"))["groups"]
    names = {n for group in groups for rule in group["rules"] for n in METRIC.findall(rule["expr"])}
    assert names and [n for n in names if not _known(n, exposed, _recorded())] == []


def test_dashboard_is_a_grafana_model_of_exposed_metrics(exposed: set[str]) -> None:
    model = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert model["uid"] and model["title"] and isinstance(model["schemaVersion"], int)
    panels = model["panels"]
    assert len({p["id"] for p in panels}) == len(panels)
    for panel in panels:
        assert {"type", "title", "gridPos", "targets", "datasource"} <= panel.keys()
        assert {"x", "y", "w", "h"} <= panel["gridPos"].keys() and panel["gridPos"]["x"] + panel["gridPos"]["w"] <= 24
        assert [t["refId"] for t in panel["targets"]] == [chr(65 + i) for i in range(len(panel["targets"]))]
    exprs = [t["expr"] for p in panels for t in p["targets"]]
    names = {n for e in exprs for n in METRIC.findall(e)}
    assert [n for n in names if not _known(n, exposed, _recorded())] == []
    titles = " ".join(p["title"] for p in panels)
    for wanted in ("availability by area", "Certificates issued per hour", "requests per hour", "Paper-low",
                   "Ticket SLA"):
        assert wanted in titles
