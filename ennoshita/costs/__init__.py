"""間接経費: the indirect-cost dashboard (by month, department, head, vendor) read from the books."""
