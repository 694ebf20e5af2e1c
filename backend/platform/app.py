"""The platform's FastAPI application factory."""

from __future__ import annotations

import gc

from fastapi import FastAPI
from starlette.middleware import Middleware

from backend.shared.app_factory import runtime_in_zone, service_app
from backend.shared.body_limit import RouteLimit
from backend.shared.protocol import MAX_BATCH_BYTES

from .api.heartbeat_path import HeartbeatPath
from .api.routes import (
    alerts,
    applications,
    audit,
    auth,
    certificates,
    commands,
    community,
    community_governance,
    demo_identity,
    emergency,
    health,
    metrics,
    notices,
    notifications,
    open311,
    open311_keys,
    org,
    phone,
    register,
    releases,
    revocations,
    stations,
    stream,
    sync,
    tickets,
    trust,
    users,
    volunteers,
)
from .console import web as console
from .runtime import PlatformRuntime, build_runtime
from .settings import PlatformSettings

ROUTERS = (health, sync, trust, auth, org, stations, commands, alerts, register, notices, revocations,
           users, audit, stream, metrics, tickets, open311_keys, open311, applications, certificates, phone,
           demo_identity, notifications, releases, volunteers, emergency, community, community_governance,
           console)
# Bodies are 1 MiB at most, but for the routes that expect more (checked before reading them).
MULTIPART_SLACK = 1024 * 1024  # the form's own framing around an uploaded file
BODY_LIMITS = (
    RouteLimit("POST", r"/api/sync/events", MAX_BATCH_BYTES),
    RouteLimit("POST", r"/api/staff/communities/[^/]+/register", register.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/register", register.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/api/staff/releases", releases.MAX_RELEASE),
    RouteLimit("POST", r"/api/staff/communities/[^/]+/volunteers/import",
               volunteers.MAX_FILE + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/updates/releases", releases.MAX_RELEASE + MULTIPART_SLACK),
    RouteLimit("POST", r"/api/staff/accounts/[^/]+/[^/]+", community_governance.MAX_LEDGER + MULTIPART_SLACK),
    RouteLimit("POST", r"/console/community/accounts", community_governance.MAX_LEDGER + MULTIPART_SLACK),
)


def create_app(settings: PlatformSettings | None = None, *,
               runtime: PlatformRuntime | None = None) -> FastAPI:
    """Build the platform app; the runtime (database, live bus, sweep) starts with the server."""
    runtime = runtime_in_zone(runtime, settings, default_settings=PlatformSettings, build=build_runtime)
    # The API description is a map for attackers too: served in the demo, in production only when
    # KIOSK_PLATFORM_API_DOCS=true. Body limits come before routing or verifying; unchanged
    # heartbeats are answered just inside them (api/heartbeat_path.py), the rest by the routes.
    app = service_app(title="One-window platform (一窗受理)", runtime=runtime,
                      docs=runtime.settings.docs_enabled, serving="platform serving",
                      start=runtime.start, stop=runtime.stop, body_limits=BODY_LIMITS,
                      middleware=[Middleware(HeartbeatPath, runtime=runtime)])
    for module in ROUTERS:
        app.include_router(module.router)
    app.include_router(register.templates)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for uvicorn workers: settings from KIOSK_PLATFORM_* (set by ``kiosk platform``)."""
    app = create_app(PlatformSettings())
    # What the worker built to start (modules, the app, its routes and models: ~250,000 objects)
    # lives as long as the worker; frozen, the garbage collector stops scanning it. Unfrozen,
    # every full collection — one every ~15 s under 10,000 stations — walked it all with the
    # interpreter stopped: 150-210 ms in which no request was answered.
    gc.collect()
    gc.freeze()
    return app
