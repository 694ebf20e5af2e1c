"""Sync with the one-window platform: enrolment, the signed client, the outbox sender, the
changes puller and its appliers, heartbeats, and the commands staff send."""
