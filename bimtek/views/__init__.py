"""The Bimtek pages, one module per family."""
