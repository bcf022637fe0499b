"""Reads of 法務. One module per part: ``contracts``, ``ip``."""
