"""Writes of 営業事務: customers and their contacts, products (and, in their own modules, the
documents from quote to invoice, the payments received and their 前受金: ``advances``).

Every function is keyword-only, runs in one transaction, checks ``sales.permissions`` and records
an audit event.
"""

from .advances import apply_advance, refund_advance
from .customers import (
    KEEP,
    add_contact,
    create_customer,
    customer_name_key,
    customer_references,
    deactivate_customer,
    delete_customer,
    normalize_corporate_number,
    reactivate_customer,
    remove_contact,
    update_customer,
)
from .products import (
    create_product,
    deactivate_product,
    delete_product,
    format_unit_price,
    parse_unit_price,
    product_in_use,
    reactivate_product,
    update_product,
)

__all__ = [
    "KEEP",
    "add_contact",
    "apply_advance",
    "create_customer",
    "create_product",
    "customer_name_key",
    "customer_references",
    "deactivate_customer",
    "deactivate_product",
    "delete_customer",
    "delete_product",
    "format_unit_price",
    "normalize_corporate_number",
    "parse_unit_price",
    "product_in_use",
    "reactivate_customer",
    "reactivate_product",
    "refund_advance",
    "remove_contact",
    "update_customer",
    "update_product",
]
