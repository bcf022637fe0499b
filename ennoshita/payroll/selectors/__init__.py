"""給与 — selectors, one module per part (docs/domains/payroll.md)."""
