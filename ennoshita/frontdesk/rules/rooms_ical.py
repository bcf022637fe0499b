"""iCalendar text (RFC 5545) for the room and person feeds, written by hand (no new dependency).

- lines end with CRLF (§3.1) and are folded at 75 octets — counted in UTF-8 bytes, never splitting a
  multi-byte character — by a CRLF followed by one space;
- TEXT values escape backslash, semicolon, comma and newline (§3.3.11);
- times are UTC with the "Z" suffix (§3.3.5, form #2), so no VTIMEZONE is needed;
- every event has a UID that stays the same across fetches, a DTSTAMP, and a SEQUENCE/STATUS so that
  a moved or cancelled booking updates the calendar (§3.8.7.4, §3.8.1.11).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//Ennoshita//会議室予約//JA"


@dataclass(frozen=True)
class Event:
    uid: str
    starts_at: datetime
    ends_at: datetime
    summary: str
    location: str = ""
    description: str = ""
    cancelled: bool = False
    sequence: int = 0
    last_modified: datetime | None = None


def escape_text(value: str) -> str:
    """RFC 5545 §3.3.11 TEXT: ``\\`` ``;`` ``,`` escaped, newlines as ``\\n``."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def utc(value: datetime) -> str:
    """A DATE-TIME in UTC: ``20261208T010000Z`` (aware datetimes only)."""
    if value.tzinfo is None:
        raise ValueError("iCalendar times must be timezone-aware")
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold one content line at 75 octets (§3.1): continuation lines start with one space, which
    counts toward their 75 octets. A UTF-8 character is never split."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    limit = 75
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current = b""
            limit = 74  # the leading space of a continuation line is one of its 75 octets
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def calendar(name: str, events: Iterable[Event], *, now: datetime) -> str:
    """A VCALENDAR with one VEVENT per event, as a string with CRLF line endings."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-PUBLISHED-TTL:PT15M",
    ]
    stamp = utc(now)
    for ev in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{ev.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{utc(ev.starts_at)}",
            f"DTEND:{utc(ev.ends_at)}",
            f"SUMMARY:{escape_text(ev.summary)}",
        ]
        if ev.location:
            lines.append(f"LOCATION:{escape_text(ev.location)}")
        if ev.description:
            lines.append(f"DESCRIPTION:{escape_text(ev.description)}")
        if ev.last_modified is not None:
            lines.append(f"LAST-MODIFIED:{utc(ev.last_modified)}")
        lines.append(f"SEQUENCE:{ev.sequence}")
        lines.append("STATUS:CANCELLED" if ev.cancelled else "STATUS:CONFIRMED")
        lines.append("TRANSP:OPAQUE")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
