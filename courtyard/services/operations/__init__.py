"""Running the platform: the audit trail, backups, and scheduled jobs' leases."""
