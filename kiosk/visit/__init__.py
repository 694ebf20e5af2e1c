"""The resident's visit (no Kivy): ``flow.KioskFlow`` — the screens' one object and every journey's
``JourneyHost`` — with its ``timers``, the station's ``events``, where touches and typed text go
(``routes``), where scanned codes go (``scans``) and the test hook's ``snapshot``."""
