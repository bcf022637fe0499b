"""総務 (affairs): one module per part; every model is importable from here."""

from .announcements import (
    Announcement,
    AnnouncementKind,
    AnnouncementRead,
    AnnouncementTarget,
    AudienceKind,
    Event,
    EventSignup,
    EventStatus,
)
from .base import AffairsSettings, Location
from .consumables import Consumable, ConsumableRequest, ConsumableStock, MoveKind, RequestStatus, StockMove
from .equipment import Equipment, EquipmentCategory, EquipmentLoan, EquipmentStatus
from .health import (
    Checkup,
    CheckupKind,
    CheckupStatus,
    HealthAccessGrant,
    HealthProfile,
    LongHoursCase,
    StressCheck,
    StressCheckStatus,
)
from .regulations import Rule, RuleAcknowledgement, RuleCategory, RuleVersion, RuleVersionStatus
from .welfare import Benefit, BenefitCategory, BenefitUse, BenefitUseStatus

__all__ = [
    "AffairsSettings",
    "Announcement",
    "AnnouncementKind",
    "AnnouncementRead",
    "AnnouncementTarget",
    "AudienceKind",
    "Benefit",
    "BenefitCategory",
    "BenefitUse",
    "BenefitUseStatus",
    "Checkup",
    "CheckupKind",
    "CheckupStatus",
    "Consumable",
    "ConsumableRequest",
    "ConsumableStock",
    "Equipment",
    "EquipmentCategory",
    "EquipmentLoan",
    "EquipmentStatus",
    "Event",
    "EventSignup",
    "EventStatus",
    "HealthAccessGrant",
    "HealthProfile",
    "Location",
    "LongHoursCase",
    "MoveKind",
    "RequestStatus",
    "Rule",
    "RuleAcknowledgement",
    "RuleCategory",
    "RuleVersion",
    "RuleVersionStatus",
    "StockMove",
    "StressCheck",
    "StressCheckStatus",
]
