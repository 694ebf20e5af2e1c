"""Residents' requests (tickets, 工单) and ratings: the domain both the station and the platform use.

Pure code over the data files in assets/tickets (no web framework, no database):

    config      the data files: categories, policy, calendar, classification, dispatch, landmarks
    calendar    the working-day calendar (weekends, holidays, make-up working days)
    deadlines   reply / sign-for / rectification deadlines and escalation stages
    workflow    the ticket state machine (GB/T 33358 practice)
    classify    keyword rules that suggest a category and a grade
    dispatch    the dispatch catalogue: category × area → level, unit, handler role
    duplicates  possible duplicates (same category and place within a few days)
    figures     response, resolution, on-time and satisfaction rates
    text        cleaning text, phone numbers, redaction for public output
    contact     sealing a resident's contact details
    numbers     ticket numbers;  slip_token  the slip's QR token ("GD1:")
    messages    the sync payloads of tickets and ratings;  words  progress in plain words
    errors      the stable error codes
"""
