"""Demo data for community life in 桂林社区 (``kiosk up``): an upcoming 府城元宵换花节, a council
proposal one household short of its threshold, three months of 桂林花园's accounts and two
organisations (one registered, one waiting). Added once, on a platform that has none yet."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.shared import localtime
from backend.shared.community.compounds import compounds_of
from backend.shared.community.messages import Audience, OrganisationFiled, ProposalRaised
from backend.shared.privacy import IdProtector

from ...db.community_models import Activity
from . import accounts, activities, council, organisations

DEMO_BY = "demo"
LEDGER = """日期,类别,收支,金额,对方,凭证号
{m}-03,物业服务费,收入,48600.00,业主缴费,{v}01
{m}-05,停车费,收入,6240.00,业主缴费,{v}02
{m}-08,公共收益（广告位）,收入,1800.00,海口某传媒公司,{v}03
{m}-10,保洁,支出,12800.00,琼山洁净服务公司,{v}04
{m}-12,绿化养护,支出,3500.50,府城园林队,{v}05
{m}-15,电梯维保,支出,4200.00,海南某电梯公司,{v}06
{m}-20,公共水电,支出,{power},海口供电局,{v}07
{m}-25,秩序维护,支出,15600.00,物业秩序部,{v}08
"""


def seed(session: Session, *, community_code: str, protector: IdProtector, now: datetime) -> bool:
    """Add the demo's community life unless there is some already; return whether it did."""
    if session.scalar(select(func.count()).select_from(Activity)):
        return False
    garden = compounds_of(community_code)[0]
    _festival(session, community_code, now)
    _accounts(session, garden.code, now)
    _proposal(session, community_code, garden.code, protector, now)
    _organisations(session, community_code, protector, now)
    return True


def _local(day: datetime, hour: int) -> datetime:
    return datetime.combine(localtime.local_date(day), time(hour), tzinfo=localtime.zone())


def _festival(session: Session, community_code: str, now: datetime) -> None:
    day = now + timedelta(days=14)
    activities.publish_activity(
        session,
        by=DEMO_BY,
        now=now,
        new=activities.NewActivity(
            community_code=community_code,
            title="府城元宵换花节",
            description="正月十五府城换花节：换花祈福、猜灯谜、琼剧表演，欢迎居民携花参加。",
            place="府城鼓楼广场",
            starts_at=_local(day, 19),
            ends_at=_local(day, 22),
            capacity=200,
            signup_opens_at=now - timedelta(hours=1),
            signup_closes_at=_local(day, 12),
            audience=Audience(),
        ),
    )


def _accounts(session: Session, compound_code: str, now: datetime) -> None:
    local_now = localtime.to_local(now)
    first = (local_now.replace(day=1) - timedelta(days=1)).replace(day=1)
    months = []
    for _ in range(3):
        months.append(first.strftime("%Y-%m"))
        first = (first - timedelta(days=1)).replace(day=1)
    for index, month in enumerate(reversed(months)):
        text = LEDGER.format(m=month, v=f"PZ{month.replace('-', '')}", power=f"{2310 + 145 * index}.35")
        accounts.import_ledger(
            session,
            compound_code=compound_code,
            month=month,
            data=text.encode(),
            filename=f"桂林花园{month}.csv",
            by=DEMO_BY,
            now=now,
        )


def _proposal(
    session: Session, community_code: str, compound_code: str, protector: IdProtector, now: datetime
) -> None:
    households = [protector.lookup_hash(f"household:{community_code}:{h}") for h in ("H0101", "H0202")]
    message = ProposalRaised(
        id=str(uuid.uuid4()),
        compound=compound_code,
        category="public_facilities",
        title="增设电动车充电桩",
        text="小区车棚没有充电桩，居民在楼道充电有火灾隐患。",
        owner_hash=protector.lookup_hash("460107194512309516"),
        household_hash=households[0],
        name_masked="周*",
        raised_at=now - timedelta(days=3),
    )
    proposal = council.raise_proposal(
        session,
        message=message,
        station_id="demo",
        community_code=community_code,
        district_code=community_code[:6],
        now=now,
    )
    council.support(
        session,
        proposal=proposal,
        household_hash=households[1],
        at=now - timedelta(days=2),
        district_code=community_code[:6],
        now=now,
    )


def _organisations(session: Session, community_code: str, protector: IdProtector, now: datetime) -> None:
    filings = [
        ("府城琼剧爱好者协会", "culture", "460107196211024241", "李四", 26, "每周三晚在社区活动室排练琼剧"),
        ("桂林社区银发志愿队", "volunteer", "460107194512309516", "周九", 12, "探访独居老人、协助社区活动"),
    ]
    for index, (name, kind, id_number, leader, members, what) in enumerate(filings, start=1):
        message = OrganisationFiled(
            id=f"ZZ-DEMO-{community_code}-{index:04d}",
            name=name,
            kind=kind,
            leader_hash=protector.lookup_hash(id_number),
            leader_name=leader,
            leader_id_masked=id_number[:4] + "*" * 13 + id_number[-1],
            members=members,
            activities=what,
            filed_at=now - timedelta(days=10),
        )
        organisation = organisations.record_filing(
            session, message=message, station_id="demo", community_code=community_code, now=now
        )
        if index == 1:
            organisations.decide(
                session,
                organisation=organisation,
                decision="approve",
                reason="",
                how_to_join="周三晚到社区活动室找李老师报名",
                by=DEMO_BY,
                now=now,
            )
