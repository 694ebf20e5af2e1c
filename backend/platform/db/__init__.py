"""The platform database: models, engine, sessions."""
