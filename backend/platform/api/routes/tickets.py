"""Residents' requests for staff (the 12345 workflow): what staff read (``ticket_reads``) and the
workflow actions (``ticket_actions``), under one router."""

from __future__ import annotations

from fastapi import APIRouter

from . import ticket_actions, ticket_reads

router = APIRouter()
router.include_router(ticket_reads.router)
router.include_router(ticket_actions.router)
