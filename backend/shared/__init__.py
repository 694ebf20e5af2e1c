"""What the station and the platform share: errors, tokens, the sync protocol's schemas."""
