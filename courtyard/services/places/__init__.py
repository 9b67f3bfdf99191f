"""The county's people and places: townships, villages, work teams, households, partner units."""
