"""Helpers for the suite: databases, factories, logins."""
