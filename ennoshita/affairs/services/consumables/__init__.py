"""Writing 消耗品: items, stock moves (入庫・出庫・棚卸・移動) and employees' requests.

Every function is keyword-only, runs in one transaction, checks the role, writes an audit event and
raises ``ServiceError`` with the message on the wrong field — nothing is half-written.

- 総務 (affairs) and admin manage items and stock; every member (not the outside assistant team) may
  ask for an item and cancel their own open request.
- Stock never goes below zero: the stock row is locked (``select_for_update``) before it is read, so
  two 出庫 of the last box cannot both pass; the database check (quantity ≥ 0) stands behind it.
- 単価: 移動平均法 (rules/consumables.py). 入庫 re-averages the item's unit cost; 出庫・棚卸・移動 are
  costed at the unit cost of the moment. 金額 = 数量 × 単価, 四捨五入 to whole yen.
- A request moves by the table ``REQUEST_TRANSITIONS``; 払出 of a request is an 出庫 of its quantity
  to its requester and department (refused whole when the stock is short: the request stays open).

The writes live in the modules of this package, by subject (``items``, ``stock``, ``requests``;
``base`` holds the roles and the input checks they share); import them from here
(``from ennoshita.affairs.services import consumables``).
"""

from __future__ import annotations

from ennoshita.affairs.rules import consumables as rules

from .base import MANAGE_ROLES, MAX_QUANTITY, MAX_UNIT_COST, REQUEST_ROLES, can_manage
from .items import ITEM_FIELDS, ConsumableInput, create_consumable, update_consumable
from .requests import (
    REQUEST_FIELDS,
    REQUEST_TRANSITIONS,
    cancel_request,
    issue_request,
    reject_request,
    request_consumable,
)
from .stock import MOVE_FIELDS, issue_stock, receive_stock, record_stock_count, transfer_stock

__all__ = [
    "ITEM_FIELDS",
    "MANAGE_ROLES",
    "MAX_QUANTITY",
    "MAX_UNIT_COST",
    "MOVE_FIELDS",
    "REQUEST_FIELDS",
    "REQUEST_ROLES",
    "REQUEST_TRANSITIONS",
    "ConsumableInput",
    "can_manage",
    "cancel_request",
    "create_consumable",
    "issue_request",
    "issue_stock",
    "receive_stock",
    "record_stock_count",
    "reject_request",
    "request_consumable",
    "rules",
    "transfer_stock",
    "update_consumable",
]
