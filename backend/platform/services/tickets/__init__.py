"""Residents' requests on the platform: the 12345 workflow over the ticket tables.

    tree        the org tree as the dispatch catalogue and access checks need it
    access      who may see and do what (role and area checks)
    service     creating tickets and running workflow commands: transition, audit, change down
    views       tickets as staff, stations and the public (Open311) see them
    escalation  the sweep that warns and escalates by deadline
    figures     rates per unit, category and month; duplicates
    ticket_appliers  the station events ticket.submitted and rating.submitted
    resident_contact  who may see the resident's phone, the audited reveal, unsealing
    apikeys     api keys of Open311 clients
    open311     GeoReport v2 (+ FixMyStreet's servicerequestupdates) on top of the service
    open311_form  an Open311 POST body and the checks of what a client asks to file
    open311_format  XML and JSON bodies, the spec's errors
"""
