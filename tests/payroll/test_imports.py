"""Each payroll service module imports on its own, first, in a fresh interpreter: services.runs and
services.bonus reach each other, and an import cycle between them only shows when one of them is
the first imported (bench/payroll.py met it; the test suite's import order hid it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.stem for p in (ROOT / "ennoshita/payroll/services").glob("*.py") if p.stem != "__init__")


@pytest.mark.parametrize("module", SERVICES)
def test_the_service_module_imports_first(module):
    code = f"import django; django.setup(); import ennoshita.payroll.services.{module}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ennoshita.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
