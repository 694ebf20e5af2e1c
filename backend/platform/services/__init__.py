"""Platform services: plain functions with keyword-only arguments, no FastAPI."""
