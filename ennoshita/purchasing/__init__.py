"""Payables (買掛金・支払): vendors, vendor bills, payment runs with their 全銀 files, and the pure
legal and bank rules (rules.py) with the bank-code data (banks.py)."""
