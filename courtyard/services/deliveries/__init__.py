"""Deliveries: plans and rounds, packing boxes, delivering, and units' complaints."""
