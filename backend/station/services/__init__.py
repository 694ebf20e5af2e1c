"""Station services: plain functions and classes with keyword-only arguments, no FastAPI."""
