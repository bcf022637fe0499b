"""One step of a calculation as the simulator page and the API show it: the figure's name, how it
was reached, and the rule (law, 告示, table) that produced it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    label: str
    value: str
    rule: str
