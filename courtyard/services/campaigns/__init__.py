"""Campaigns: their state machine, progress, stock, and closing them."""
