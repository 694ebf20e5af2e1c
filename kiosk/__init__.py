"""The kiosk's touch UI: a thin Kivy client of the station backend (HTTP + WebSocket only).

Kivy-free modules (visit, journeys, client, records, i18n, clock, advice) can be imported and tested without a
display; everything under ``kiosk.ui`` and ``kiosk.screens`` imports Kivy.
"""
