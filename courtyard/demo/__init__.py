"""Demo data: the demo county, a county-sized dataset, a season of deliveries; never business rules."""
