"""`manage.py check --deploy` is clean under the production profile (settings.py, ENNOSHITA_ENV).

It runs in a subprocess because the profile is chosen when settings are imported, and pytest has
already imported them with the test profile.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ENNOSHITA_"))}
    env.pop("DATABASE_URL", None)  # the check needs no database; keep it off the test server
    env.update(
        ENNOSHITA_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="example.jp",
        ENNOSHITA_VAR_DIR=str(tmp_path / "var"),  # leave the checkout's var/ alone
    )
    env.update(extra)
    return env


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_the_production_profile(tmp_path):
    result = _check_deploy(_production_env(tmp_path))

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced).", result.stdout
    assert result.stderr.strip() == "", result.stderr


def test_check_deploy_catches_a_debug_production(tmp_path):
    """The check is live: DEBUG on in production is reported (security.W018) and fails the run."""
    result = _check_deploy(_production_env(tmp_path, DJANGO_DEBUG="1"))

    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = _production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]

    result = _check_deploy(env)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
