"""Picking visits: organising them, their host households, registrations and reminders."""
