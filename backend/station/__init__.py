"""The station backend: runs on the kiosk, owns the devices, the local database, certificate
signing and the outbox. The kiosk UI talks to it over HTTP and WebSocket only.
"""
