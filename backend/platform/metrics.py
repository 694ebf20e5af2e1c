"""Process-local Prometheus instruments of a platform worker (database gauges are read at scrape)."""

from __future__ import annotations

from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Histogram


def _registry() -> CollectorRegistry:
    return CollectorRegistry()


@dataclass
class PlatformMetrics:
    registry: CollectorRegistry = field(default_factory=_registry)

    def __post_init__(self) -> None:
        self.sync_seconds = Histogram(
            "kiosk_platform_sync_request_seconds", "time to serve a station's sync request",
            ["endpoint"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5))
        self.events = Counter("kiosk_platform_events", "station events by outcome (this worker)",
                              ["outcome"], registry=self.registry)
        self.refused = Counter("kiosk_platform_sync_refused", "sync requests refused (this worker)",
                               ["reason"], registry=self.registry)
