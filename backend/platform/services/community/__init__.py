"""Community life on the platform: activities and sign-ups, open property accounts, the compound
council and grassroots organisations — recorded here, published to stations as changes, and fed
by the stations' events (``appliers``)."""
