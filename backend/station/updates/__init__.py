"""Updates over the air on the station: learn of a rollout from the heartbeat answer, download in
the background, verify, install beside the running release, switch ``current`` atomically, restart,
health-check, and roll back by itself when the new release fails (see docs/deploy.md)."""
