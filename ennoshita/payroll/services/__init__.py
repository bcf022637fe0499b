"""給与 — services, one module per part (docs/domains/payroll.md)."""
