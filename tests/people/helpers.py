"""Small helpers for the 人事 screen tests: read rows back out of the rendered HTML."""

from __future__ import annotations

import re

from ennoshita.core.models import AuditEvent
from ennoshita.people.models import Department, Employee, Placement, Position


def html(response) -> str:
    return response.content.decode()


def employee_numbers(response) -> list[str]:
    """The 社員番号 of the rows of 社員一覧, in the order shown."""
    return re.findall(r'data-employee="([^"]+)"', html(response))


def counts() -> tuple[int, int, int, int, int]:
    """Everything a people screen could write; a refused request leaves all of it unchanged."""
    return (
        Employee.objects.count(),
        Placement.objects.count(),
        Department.objects.count(),
        Position.objects.count(),
        AuditEvent.objects.count(),
    )


class OrgChart:
    """The rendered 組織図 read back: each department's parent, direct members and headcount."""

    def __init__(self, body: str) -> None:
        from html.parser import HTMLParser

        self.parent: dict[str, str | None] = {}
        self.members: dict[str, list[str]] = {}
        self.headcount: dict[str, int] = {}
        chart = self
        stack: list[str] = []

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                a = dict(attrs)
                if tag == "li" and "data-dept" in a:
                    code = a["data-dept"]
                    chart.parent[code] = stack[-1] if stack else None
                    chart.members[code] = []
                    stack.append(code)
                elif "data-member" in a and stack:
                    chart.members[stack[-1]].append(a["data-member"])
                elif "data-headcount" in a and stack:
                    chart.headcount[stack[-1]] = int(a["data-headcount"])

            def handle_endtag(self, tag):
                if tag == "li" and stack:
                    stack.pop()

        start = body.index('id="org-tree"') if 'id="org-tree"' in body else len(body)
        Parser().feed(body[start:])
