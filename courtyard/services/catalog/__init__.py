"""What is sold: produce items and packages, and their photos."""
