"""Community life at the kiosk, as station and platform share it: activities and their signed
tickets, open property accounts (信酬制), the compound council (议事堂) and grassroots
organisations (社区社会组织备案). See ``messages`` for what travels in the sync protocol."""
