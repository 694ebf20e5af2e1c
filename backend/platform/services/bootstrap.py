"""First start: the organisation tree, the catalog, the first administrator, and in the demo the
synthetic community register. Safe to run on every start (it only adds what is missing)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from backend.shared.catalog import load_catalog
from backend.shared.district import DISTRICT_FILE, load_district
from backend.shared.privacy import IdProtector
from backend.shared.register_file import read_register_path

from ..db.session import write_transaction
from ..db.staff_models import User
from . import auth, org, publishing, register
from .community import demo as community_demo
from .volunteers import groups as volunteer_groups
from .volunteers import register as volunteer_register

log = logging.getLogger(__name__)


def bootstrap(factory: sessionmaker[Session], *, community_file: Path, catalog_file: Path,
              admin_user: str, admin_password: str, demo_register: Path | None,
              protector: Callable[[str], IdProtector], now: datetime,
              log_n: int = auth.SCRYPT_LOG_N) -> None:
    """Add what a fresh platform database lacks."""
    raw: dict[str, Any] = yaml.safe_load(community_file.read_text(encoding="utf-8"))
    tree = raw["tree"]
    with write_transaction(factory) as session:
        if org.load_district(session, load_district()):
            log.info("seed district loaded from %s", DISTRICT_FILE.name)
        if org.load_tree(session, tree):
            log.info("organisation tree loaded from %s", community_file.name)
        publishing.publish_catalog(session, catalog=load_catalog(catalog_file), now=now)
        _first_admin(session, username=admin_user, password=admin_password,
                     org_code=str(tree["city"]["code"]), now=now, log_n=log_n)
        community = str(tree["community"]["code"])
        volunteer_register.load_compounds(session)
        if demo_register is not None and not register.register_size(session, community):
            parsed = read_register_path(demo_register, now.date())
            report = register.import_register(session, community_code=community, parsed=parsed,
                                              protector=protector(community), now=now)
            log.info("demo register loaded for %s: %d residents", community, report["imported"])
            volunteer_register.load_demo(session, community_code=community, protector=protector(community),
                                         now=now)
            volunteer_groups.load_demo(session, community_code=community, now=now)
        if demo_register is not None and community_demo.seed(session, community_code=community,
                                                              protector=protector(community), now=now):
            log.info("demo community life added for %s", community)


def _first_admin(session: Session, *, username: str, password: str, org_code: str,
                 now: datetime, log_n: int) -> None:
    if session.scalar(select(func.count()).select_from(User)):
        return
    if not password:
        log.warning("no users and no KIOSK_PLATFORM_ADMIN_PASSWORD: nobody can sign in yet")
        return
    auth.create_user(session, username=username, password=password, role="admin", org_code=org_code,
                     now=now, display_name="Administrator", log_n=log_n)
    log.info("first administrator %r created", username)
