"""Tests of the purchasing rules and bank codes."""
