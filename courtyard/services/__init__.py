"""Business rules as plain functions, one package per concept; views, CLI and jobs all call these."""
