"""Volunteers (平时) and emergency mode (战时): what station and platform share — the rules and
words (``config``), the sync messages (``messages``), the volunteer register file (``register_file``)
and the slips' text (``slips``)."""
