"""Notifications to staff: channels, their message formats and signatures."""
