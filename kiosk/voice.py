"""Spoken instructions: one clip per step, in both languages, pre-generated from these msgids by
``scripts/generate_voice.py`` (espeak-ng) into assets/sounds/<lang>/<clip>.ogg, with a manifest
recording each clip's text so a test can tell when the audio no longer matches the words.
Kivy-free; ``kiosk.ui.voice`` plays them."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import assets

from .i18n import N_
from .journeys.verify import VERDICTS

# the photo steps' words (我要反映, 小区议事堂): the same clip under each step's name
PHOTO = N_("You can add a photo from the camera above the screen. Hold the thing to show in front of it.")
# clip -> what it says (a msgid: the screen's own prompt where it says it well)
PROMPTS: dict[str, str] = {
    "home": N_("Please choose a service. Touch one of the big buttons on the screen."),
    "wait_card": N_("Please place your ID card on the card reader below the screen."),
    "identity": N_("Please check your details. If they are yours, touch Yes, this is me."),
    "choose_type": N_("Which certificate do you need?"),
    "choose_purpose": N_("What do you need the certificate for? Touch one of the buttons."),
    "confirm": N_("Please check. The certificate will be printed with these details."),
    "printing": N_("Printing. Please wait a few seconds."),
    "done": N_("Your certificate is printed. Please take it from the slot below the screen."),
    "error": N_("Sorry, this could not be done. The screen says why, and what you can do."),
    "scan_code": N_("Please hold the QR code printed on the certificate under the scanner below the screen."),
    "thanks": N_("Thank you for using the service station."),
    "help": N_("How to use this station"),
    "idle": N_("Are you still there? Touch the screen to continue."),
    "scan_resident": N_("Please open the resident code on your phone and hold it under the scanner below "
                        "the screen."),
    "cert_fields": N_("This certificate needs a few details from you."),
    "applied": N_("Your application is sent. Please take the slip from the slot below the screen."),
    "pickup_scan": N_("Please hold the QR code on your application slip under the scanner below the "
                      "screen."),
    "pickup": N_("Your certificate is approved and ready to print."),
    "request_category": N_("What would you like to report?"),
    "request_place": N_("Where is it?"),
    "request_spot": N_("Where exactly? Touch one of the buttons."),
    "request_describe": N_("What happened? Choose one or more, or write a few words."),
    "request_photo": PHOTO,
    "request_contact": N_("Please leave your phone number, and choose whether to keep your name "
                          "confidential."),
    "request_confirm": N_("Please check, then send your request."),
    "request_done": N_("Please take your slip from the slot below the screen. Scan its QR code here any "
                       "time to see how it is going."),
    "progress_scan": N_("Please hold the QR code on your request slip under the scanner below the screen."),
    "progress_list": N_("Your requests. Touch one to see how it is going."),
    "progress": N_("Here is how your request is going."),
    "rate": N_("Please rate this service"),
    "volunteer_duty": N_("Touch a duty to sign in, or Sign out when you finish."),
    "volunteer_done": N_("Please take your slip from the slot below the screen."),
    "volunteer_hours": N_("Here are your volunteer hours this month."),
    "emergency": N_("Emergency mode. Touch Call for help to see and print the hotline."),
    "emergency_checkin": N_("Which task group are you reporting to?"),
    "emergency_needs": N_("Your household's requests for supplies, and how each is going."),
    "need_kind": N_("What does your household need?"),
    "need_urgency": N_("How urgent is it?"),
    "need_contact": N_("Please enter your phone number. You can also choose what fits, then send."),
    "need_done": N_("Your request is registered. Please take your slip from the slot below the screen."),
    "neighbour_group": N_("Here is your building's neighbour group. Scan the code with your phone to join."),
    "take_card": N_("Please take your ID card from the card reader."),
    "activities": N_("Coming up in your community. Touch one to see it and sign up."),
    "activity": N_("To take part, touch Sign up and then place your ID card on the reader."),
    "activity_done": N_("Please take your slip. Show its code at the activity to check in."),
    "my_signups": N_("Your sign-ups. You can cancel one you cannot go to."),
    "checkin": N_("Here is what your ticket says."),
    "accounts": N_("Here are your compound's income and spending this month."),
    "accounts_public": N_("Only owners in a compound can see its accounts in detail."),
    "orgs": N_("Groups in your community you can join. "
               "To start a group of your own, touch File an organisation."),
    "org_kind": N_("What kind of organisation is it?"),
    "org_form": N_("Touch each line to fill it in"),
    "org_confirm": N_("Please check your filing"),
    "org_done": N_("Filed. Please take your slip from the slot below the screen."),
    "org_mine": N_("Your filings and where each stands"),
    "community": N_("Your community's services. Touch the one you want."),
    "council": N_("Your compound's proposals. Touch one to support it or print it, or raise your own."),
    "council_proposal": N_("Each household can support a proposal once."),
    "council_category": N_("What is your proposal about?"),
    "council_write": N_("Write a title, and choose or write what you propose."),
    "council_photo": PHOTO,
    "council_confirm": N_("Please check your proposal."),
    "council_done": N_("Your proposal is raised. Please take your slip."),
    **{f"verdict_{verdict}": view.headline for verdict, view in VERDICTS.items()},
}
LANGUAGES = ("zh_CN", "en")


def sounds_dir() -> Path:
    return assets.path("sounds")


SLOW = "slow"  # the same clips spoken more slowly, for elderly mode (assets/sounds/<lang>/slow/)


def clip_path(clip: str, lang: str, *, slow: bool = False) -> Path:
    """Return where a clip's audio file is (it may be missing)."""
    return sounds_dir() / lang / (SLOW if slow else "") / f"{clip}.ogg"


def text_digest(text: str) -> str:
    """Return the short hash the manifest keeps of a clip's text."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def manifest() -> dict[str, dict[str, str]]:
    """Return {lang: {clip: text digest}} of the generated audio."""
    path = sounds_dir() / "manifest.json"
    if not path.is_file():
        return {}
    data: dict[str, dict[str, str]] = json.loads(path.read_text(encoding="utf-8"))
    return data
