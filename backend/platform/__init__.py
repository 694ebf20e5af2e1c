"""The one-window platform: fleet registry, sync endpoints, staff API (see backend.shared.protocol)."""
