"""Kiosk devices: one small contract per kind, drivers chosen by URL, simulated twins.

This package imports neither the backend nor the kiosk UI. The station backend owns the devices
through these contracts; the simulators in ``devices.sim`` speak the same wire protocols.
"""
