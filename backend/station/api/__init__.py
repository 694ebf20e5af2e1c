"""The station's HTTP and WebSocket API, used by the kiosk UI and technicians."""
