"""Shared infrastructure at the bottom of the house: imports no domain app."""
