"""Writing 備品: the register (register, change, status, dispose), the categories, and 貸与・返却.

Every input is checked before anything is written; messages name the field. Lending an item that
is already lent is refused with the holder's name — and when two people lend the same item at the
same moment, the database's one-open-loan constraint refuses the second with the same message.
The item's ``status`` and ``holder`` move together with its open loan (the loan is the record;
the columns let lists filter without a join).

The writes live in the modules of this package, by subject (``register``, ``categories``,
``lending``; ``base`` holds what they share); import them from here
(``from ennoshita.affairs.services import equipment``).
"""

from __future__ import annotations

from .base import STATE_FIELDS, WRITE_ROLES
from .categories import CATEGORY_FIELDS, create_category, update_category
from .lending import LOAN_FIELDS, lend_equipment, return_equipment
from .register import (
    EQUIPMENT_FIELDS,
    MANUAL_STATES,
    MAX_PRICE,
    EquipmentInput,
    dispose_equipment,
    register_equipment,
    set_equipment_status,
    update_equipment,
)

__all__ = [
    "CATEGORY_FIELDS",
    "EQUIPMENT_FIELDS",
    "LOAN_FIELDS",
    "MANUAL_STATES",
    "MAX_PRICE",
    "STATE_FIELDS",
    "WRITE_ROLES",
    "EquipmentInput",
    "create_category",
    "dispose_equipment",
    "lend_equipment",
    "register_equipment",
    "return_equipment",
    "set_equipment_status",
    "update_category",
    "update_equipment",
]
