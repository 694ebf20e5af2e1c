"""Backends: ``station`` runs on the kiosk, ``platform`` is the one-window platform.

``shared`` holds what both speak: the sync protocol's schemas, the error tree, signed tokens.
``station`` never imports ``platform`` and the other way round.
"""
