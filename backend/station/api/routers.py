"""The station's routers, in the order the app includes them: a new resource adds its module here."""

from __future__ import annotations

from fastapi import APIRouter

from .routes import (
    accounts,
    activities,
    applications,
    certificates,
    components,
    council,
    events,
    health,
    maintenance,
    metrics,
    notices,
    organisations,
    parts,
    phone_link,
    screen,
    sessions,
    sim,
    station,
    tickets,
    verify,
    volunteers,
)

ROUTERS: tuple[APIRouter, ...] = (
    health.router,
    station.router,
    components.router,
    sessions.router,
    certificates.router,
    applications.router,
    verify.router,
    events.router,
    sim.router,
    maintenance.router,
    metrics.router,
    tickets.router,
    phone_link.router,
    screen.router,
    notices.router,
    parts.router,
    volunteers.router,
    activities.router,
    accounts.router,
    council.router,
    organisations.router,
)
