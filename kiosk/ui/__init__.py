"""The Kivy side of the kiosk: start-up, theme, translator, shared widgets, the app itself.

Import ``kiosk.ui.bootstrap`` (which sets Kivy's environment) before anything that imports Kivy.
"""
