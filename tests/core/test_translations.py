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
    """Extract the strings again (needs gettext) from a copy of the source and compare.

    makemessages writes into the ``locale`` folder it finds beside the code, so it runs on a copy
    of the package: the committed catalogue is only read, never rewritten by the test.
    """
    if shutil.which("xgettext") is None:
        if os.environ.get("CI"):
            pytest.fail("xgettext (gettext) is missing in CI")
        pytest.skip("gettext is not installed; .ci/run installs it")
    work = tmp_path / "src"
    shutil.copytree(
        ROOT / "ennoshita", work / "ennoshita", ignore=shutil.ignore_patterns("__pycache__", "*.mo")
    )
    shutil.copy(ROOT / "manage.py", work / "manage.py")
    env = {
        **os.environ,
        "ENNOSHITA_LOCALE_DIR": str(work / "ennoshita" / "locale"),
        "ENNOSHITA_ENV": "test",
        "ENNOSHITA_VAR_DIR": str(tmp_path / "var"),
        "PYTHONPATH": str(work),
    }
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete", "--no-location"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = work / "ennoshita" / "locale" / "en" / "LC_MESSAGES" / "django.po"
    fresh = {e.msgid for e in _entries(extracted)}
    committed = {e.msgid for e in _entries(PO)}
    new = sorted(fresh - committed)
    assert not new, f"{len(new)} strings are not in the catalogue (run `make messages`): {new[:5]}"
    untranslated = [e.msgid for e in _entries(extracted) if not e.translated() or "fuzzy" in e.flags]
    assert not untranslated, f"untranslated after extraction: {untranslated[:5]}"
