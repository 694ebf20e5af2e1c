"""Applying the platform's changes at the station: every domain's table, one line each.

The registry's core (the context, effects, the refusal of a change kind applied twice) is in
``applier_core``; a new domain adds its module's ``APPLIERS`` here.
"""

from __future__ import annotations

from . import certificate_appliers, community_appliers, station_appliers, volunteer_appliers
from .applier_core import Registry

APPLIERS = Registry(
    station_appliers.APPLIERS,
    certificate_appliers.APPLIERS,
    volunteer_appliers.APPLIERS,
    community_appliers.APPLIERS,
)
