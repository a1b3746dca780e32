"""Searches over what the store keeps (no Qt): motion in a region of a camera's picture."""
