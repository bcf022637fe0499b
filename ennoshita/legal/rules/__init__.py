"""rules of the legal app: one module per part (``stamp_duty``: 印紙税 on contracts, ``terms``: the
dates of a contract's term, renewal and notice). Pure functions, no database."""
