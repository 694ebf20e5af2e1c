"""The station's SQLite database: models, sessions, migrations."""
