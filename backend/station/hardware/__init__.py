"""The station's side of the devices: components with their live status, the threads that
watch them, and the manager that builds them from the settings. The UI sees only this, through
the HTTP API and the event bus."""
