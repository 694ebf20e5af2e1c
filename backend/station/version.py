"""The station's own version, for heartbeats and backups (a release's version wins when one runs)."""

VERSION = "0.1.0"
