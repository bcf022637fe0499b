"""Every Japanese string on a screen has its English translation (ennoshita/locale/en)."""

from __future__ import annotations

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "ennoshita" / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def _entries(path: Path) -> list[polib.POEntry]:
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def test_every_message_is_translated():
    missing = [e.msgid for e in _entries(PO) if not e.translated() or "fuzzy" in e.flags]
    assert not missing, f"{len(missing)} messages without an English translation, e.g. {missing[:5]}"


def test_compiled_catalogue_matches_the_po_file():
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    for e in _entries(PO):
        if e.msgid_plural:
            assert catalog.get((e.msgid, 0)) == e.msgstr_plural[0], e.msgid
        else:
            key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
            assert catalog.get(key) == e.msgstr, f"{e.msgid!r}: run `make messages`"


def test_the_catalogue_covers_every_translatable_string(tmp_path):
    """Extract the strings again (needs gettext) and compare with the committed catalogue."""
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext (gettext) is missing in CI")
        pytest.skip("gettext is not installed; .ci/run installs it")
    locale = tmp_path / "locale"
    shutil.copytree(PO.parents[2], locale)
    env = {**os.environ, "ENNOSHITA_LOCALE_DIR": str(locale), "ENNOSHITA_ENV": "test"}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location",
         "--ignore=.venv", "--ignore=tests", "--ignore=bench", "--ignore=docs", "--ignore=staticfiles", "--ignore=var"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )
    fresh = {e.msgid for e in _entries(locale / "en" / "LC_MESSAGES" / "django.po")}
    committed = {e.msgid for e in _entries(PO)}
    new = sorted(fresh - committed)
    assert not new, f"{len(new)} strings are not in the catalogue (run `make messages`): {new[:5]}"
