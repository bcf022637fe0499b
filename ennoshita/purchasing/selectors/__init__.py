"""Reads of payables: import the module you need (vendors, bills, payables, payments, spend)."""
