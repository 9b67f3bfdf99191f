"""Figures for the dashboards and the public pages, and the summary the dashboard reads."""
