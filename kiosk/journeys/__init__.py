"""The services a resident uses, one module each; every journey is a plain class (no Kivy) given a
``JourneyHost`` (``host.py``) — the visit's state, the station API and the ~20 things a journey
may do with the visit — and reaches nothing else of the flow.

``certificates`` · ``verify`` · ``service_requests`` (我要反映) · ``progress`` · ``pickup`` (取件)
· ``rating`` · ``maintenance`` (technicians), and the pieces several share: ``identification``
(card or resident code; certificates, requests, progress) and ``phone_copy`` (the done screen's QR).
How to add one: kiosk/README.md, "Adding a journey".
"""
