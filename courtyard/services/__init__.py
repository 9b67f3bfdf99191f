"""Business rules as plain functions; views, CLI and jobs all call these."""
