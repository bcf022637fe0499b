"""Writes of 法務. One module (or package) per part: ``contracts``, ``ip``."""
