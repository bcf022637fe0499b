"""Purchasing (issue 7): for now only its pure legal and bank rules and the bank-code data."""
