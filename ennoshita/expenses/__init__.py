"""経費精算: expense claims with receipts, company rules, approval and posting."""
