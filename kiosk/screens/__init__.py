"""The kiosk's screens, one per step of the journey: ``<name>.py`` (behaviour) + ``<name>.kv``
(layout; a screen that only fills in a shared layout, such as ``scanning`` or ``choices``, has no
.kv of its own). A screen's name is its step's value, so the flow's step selects the screen."""

from __future__ import annotations

from importlib import import_module

from kiosk.state import Step
from kiosk.visit.flow import KioskFlow

from .base import KioskScreen

# step -> (module, class); later services add their screens here.
SCREENS: dict[Step, tuple[str, str]] = {
    Step.HOME: ("home", "HomeScreen"),
    Step.WAIT_CARD: ("wait_card", "WaitCardScreen"),
    Step.IDENTITY: ("identity", "IdentityScreen"),
    Step.CHOOSE_TYPE: ("choose_type", "ChooseTypeScreen"),
    Step.CHOOSE_PURPOSE: ("choose_purpose", "ChoosePurposeScreen"),
    Step.CONFIRM: ("confirm", "ConfirmScreen"),
    Step.PRINTING: ("printing", "PrintingScreen"),
    Step.DONE: ("done", "DoneScreen"),
    Step.ERROR: ("error", "ErrorScreen"),
    Step.ATTRACT: ("attract", "AttractScreen"),
    Step.SCAN_CODE: ("scan_code", "ScanCodeScreen"),
    Step.VERIFY_RESULT: ("verify_result", "VerifyResultScreen"),
    Step.THANKS: ("thanks", "ThanksScreen"),
    Step.HELP: ("help", "HelpScreen"),
    Step.NOTICES: ("notices", "NoticesScreen"),
    Step.SCAN_RESIDENT: ("scan_resident", "ScanResidentScreen"),
    Step.CERT_FIELDS: ("cert_fields", "CertFieldsScreen"),
    Step.APPLIED: ("applied", "AppliedScreen"),
    Step.PICKUP_SCAN: ("pickup_scan", "PickupScanScreen"),
    Step.PICKUP: ("pickup", "PickupScreen"),
    Step.REQ_CATEGORY: ("request_category", "RequestCategoryScreen"),
    Step.REQ_PLACE: ("request_place", "RequestPlaceScreen"),
    Step.REQ_SPOT: ("request_spot", "RequestSpotScreen"),
    Step.REQ_DESCRIBE: ("request_describe", "RequestDescribeScreen"),
    Step.REQ_PHOTO: ("request_photo", "RequestPhotoScreen"),
    Step.REQ_CONTACT: ("request_contact", "RequestContactScreen"),
    Step.REQ_CONFIRM: ("request_confirm", "RequestConfirmScreen"),
    Step.REQ_DONE: ("request_done", "RequestDoneScreen"),
    Step.PROGRESS_SCAN: ("progress_scan", "ProgressScanScreen"),
    Step.PROGRESS_LIST: ("progress_list", "ProgressListScreen"),
    Step.PROGRESS: ("progress", "ProgressScreen"),
    Step.RATE: ("rate", "RateScreen"),
    Step.VOL_DUTY: ("volunteer_duty", "VolunteerDutyScreen"),
    Step.VOL_DONE: ("volunteer_done", "VolunteerDoneScreen"),
    Step.VOL_HOURS: ("volunteer_hours", "VolunteerHoursScreen"),
    Step.EMERGENCY: ("emergency", "EmergencyScreen"),
    Step.EMERGENCY_CHECKIN: ("emergency_checkin", "EmergencyCheckinScreen"),
    Step.EMERGENCY_NEEDS: ("emergency_needs", "EmergencyNeedsScreen"),
    Step.NEED_KIND: ("need_kind", "NeedKindScreen"),
    Step.NEED_URGENCY: ("need_urgency", "NeedUrgencyScreen"),
    Step.NEED_CONTACT: ("need_contact", "NeedContactScreen"),
    Step.NEED_DONE: ("need_done", "NeedDoneScreen"),
    Step.NEIGHBOUR_GROUP: ("neighbour_group", "NeighbourGroupScreen"),
    Step.TAKE_CARD: ("take_card", "TakeCardScreen"),
    Step.MAINTENANCE: ("maintenance", "MaintenanceScreen"),
    Step.ACTIVITIES: ("activities", "ActivitiesScreen"),
    Step.ACTIVITY: ("activity", "ActivityScreen"),
    Step.ACTIVITY_DONE: ("activity_done", "ActivityDoneScreen"),
    Step.MY_SIGNUPS: ("my_signups", "MySignupsScreen"),
    Step.CHECKIN: ("checkin", "CheckinScreen"),
    Step.ACCOUNTS: ("accounts", "AccountsScreen"),
    Step.ACCOUNTS_PUBLIC: ("accounts_public", "AccountsPublicScreen"),
    Step.ORGS: ("orgs", "OrgsScreen"),
    Step.ORG_KIND: ("org_kind", "OrgKindScreen"),
    Step.ORG_FORM: ("org_form", "OrgFormScreen"),
    Step.ORG_CONFIRM: ("org_confirm", "OrgConfirmScreen"),
    Step.ORG_DONE: ("org_done", "OrgDoneScreen"),
    Step.ORG_MINE: ("org_mine", "OrgMineScreen"),
    Step.COMMUNITY: ("community", "CommunityScreen"),
    Step.COUNCIL: ("council", "CouncilScreen"),
    Step.COUNCIL_PROPOSAL: ("council_proposal", "CouncilProposalScreen"),
    Step.COUNCIL_CATEGORY: ("council_category", "CouncilCategoryScreen"),
    Step.COUNCIL_WRITE: ("council_write", "CouncilWriteScreen"),
    Step.COUNCIL_PHOTO: ("council_photo", "CouncilPhotoScreen"),
    Step.COUNCIL_CONFIRM: ("council_confirm", "CouncilConfirmScreen"),
    Step.COUNCIL_DONE: ("council_done", "CouncilDoneScreen"),
}


def build_screen(step: Step, flow: KioskFlow) -> KioskScreen:
    """Import a step's screen module (loading its kv) and build the screen."""
    module_name, class_name = SCREENS[step]
    module = import_module(f"{__name__}.{module_name}")
    screen: KioskScreen = getattr(module, class_name)(flow, name=step.value)
    return screen
