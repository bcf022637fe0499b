"""勤怠's models, one module per part (docs/domains/attendance.md)."""

from .agreements import AlertLevel, OvertimeAgreement, OvertimeAlert
from .closing import CloseAction, MonthClose, MonthCloseEvent
from .common import OPEN_STATES, RequestState
from .corrections import PunchCorrection
from .figures import MonthFigures
from .leave import (
    GrantSource,
    LeaveGrant,
    LeaveKind,
    LeavePolicy,
    LeaveRequest,
    LeaveTaking,
    LeaveType,
    LeaveUnit,
)
from .overtime import OvertimeRequest
from .punches import AttendanceSettings, Punch, PunchKind, PunchSource, PunchState, WorkStatus
from .shifts import RestDayRule, Shift, ShiftPattern, ShiftSettings, ShiftSwap, ShiftTable
from .work_rules import AttendanceProfile, StatutoryHolidayRule, WorkRule, WorkSystem, default_workdays

__all__ = [
    "OPEN_STATES",
    "AlertLevel",
    "AttendanceProfile",
    "AttendanceSettings",
    "CloseAction",
    "GrantSource",
    "LeaveGrant",
    "LeaveKind",
    "LeavePolicy",
    "LeaveRequest",
    "LeaveTaking",
    "LeaveType",
    "LeaveUnit",
    "MonthClose",
    "MonthCloseEvent",
    "MonthFigures",
    "OvertimeAgreement",
    "OvertimeAlert",
    "OvertimeRequest",
    "Punch",
    "PunchCorrection",
    "PunchKind",
    "PunchSource",
    "PunchState",
    "RequestState",
    "RestDayRule",
    "Shift",
    "ShiftPattern",
    "ShiftSettings",
    "ShiftSwap",
    "ShiftTable",
    "StatutoryHolidayRule",
    "WorkRule",
    "WorkStatus",
    "WorkSystem",
    "default_workdays",
]
