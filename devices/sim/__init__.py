"""Simulated twins of the kiosk's devices. Each is a real server speaking the real wire protocol
(TCP for the printer, a pseudo-terminal or socket for serial devices), can be told to fail, and
is reported as simulated. ``kiosk sim`` runs them; ``devices.sim.pytest_plugin`` gives fixtures.
"""
