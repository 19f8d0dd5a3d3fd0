"""Placing activities on the map, above the reference geography of gstp.geo."""
