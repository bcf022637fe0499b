"""Bank and branch codes: the lookups live in ``ennoshita.core.banks`` (people and payroll use them
too); this name stays for the payables code that reads them."""

from ennoshita.core.banks import (
    Bank,
    Branch,
    all_banks,
    bank,
    branch,
    branches,
    search_banks,
    search_branches,
)

__all__ = ["Bank", "Branch", "all_banks", "bank", "branch", "branches", "search_banks", "search_branches"]
