"""``kiosk enroll URL CODE``: register this station's keys with the platform (one-time code).

Staff create the station on the platform and read out its code; the technician runs this on the
kiosk before starting the station. A used or expired code, or a station already enrolled, fails
with a message that says what to do.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import add_data_dir, data_dir_of


def register(commands: Any) -> None:
    parser = commands.add_parser("enroll", help="enrol this station with the one-window platform")
    parser.add_argument("url", help="the platform's URL, e.g. https://platform.example/")
    parser.add_argument("code", help="the one-time enrolment code staff created for this station")
    add_data_dir(parser)
    parser.add_argument("--force", action="store_true",
                        help="enrol again although this station is already enrolled")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from backend.station.sync.enrolment import EnrolmentError, enroll

    data_dir = data_dir_of(args)
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        enrolment = enroll(data_dir=data_dir, url=args.url, code=args.code, force=args.force)
    except EnrolmentError as err:
        sys.stderr.write(f"kiosk enroll: {err}\n")
        return 1
    community = f"{enrolment.community_code} {enrolment.community_name.get('zh', '')}"
    print(f"enrolled as {enrolment.station_id} ({enrolment.station_code}) of community {community} "
          f"with {enrolment.platform_url}\nrestart the station (kiosk station / kiosk up) to start syncing")
    return 0
