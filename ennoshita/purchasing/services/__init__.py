"""Writes of 買掛金・支払. Keyword-only, one transaction each, permission-checked, audited.

Import the module you need: ``vendors`` (仕入先), ``bills`` (仕入先請求書: drafts, the file,
submit / withdraw, ``on_bill_decided`` which approvals calls inside the deciding transaction),
``payments`` (支払処理).
"""
