"""Home-page panels of the visits part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py)."""

from __future__ import annotations

from typing import Any

from ennoshita.core.models import Membership


def panels(membership: Membership) -> list[dict[str, Any]]:
    return []
