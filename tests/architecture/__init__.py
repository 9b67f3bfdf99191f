"""Checks on the shape of the code itself: the layers and the import graph."""
