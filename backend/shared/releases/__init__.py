"""Release bundles for updates over the air: build, sign, verify, unpack (see docs/deploy.md)."""
