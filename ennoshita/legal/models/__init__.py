"""法務 (legal): one module per part; every model is importable from here."""

from .contracts import (
    Contract,
    ContractAlert,
    ContractAlertKind,
    ContractRelation,
    ContractStatus,
    ContractType,
    CounterpartyKind,
    NoticeUnit,
    OurSide,
    StampDocument,
)
from .ip import CopyrightBasis, IpAlert, IpCost, IpCostKind, IpKind, IpRight, IpStatus

__all__ = [
    "Contract",
    "ContractAlert",
    "ContractAlertKind",
    "ContractRelation",
    "ContractStatus",
    "ContractType",
    "CopyrightBasis",
    "CounterpartyKind",
    "IpAlert",
    "IpCost",
    "IpCostKind",
    "IpKind",
    "IpRight",
    "IpStatus",
    "NoticeUnit",
    "OurSide",
    "StampDocument",
]
