"""Hardening (issue #21): what an attacker tried, each answered by a test."""
