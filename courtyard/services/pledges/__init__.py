"""Pledges: a partner unit orders packages in a campaign; its lines, and open bank transfers."""
