"""Certificates on the platform: the district's registry, applications needing approval, the
resident's phone copy, and resident QR codes (the stand-in for the national CTID code).

    registry      search by serial, identifier, masked number or name; detail; revoke
    applications  applications reported by stations; staff decisions sent down as changes
    certificate_appliers  the station events certificate.* and application.*
    phone         the signed download link behind the kiosk's second QR, and the PDF
    identity      the platform's identity key, its JWKS for stations, minting resident QR codes
"""
