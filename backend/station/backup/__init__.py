"""Backups of a station's data folder: a consistent online copy of the database with the files
the station needs to come back, restore into a data folder, the daily schedule and what to keep.
See docs/operations.md."""
