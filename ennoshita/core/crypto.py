"""Field encryption for 要配慮個人情報 (健康診断の結果, 医師の意見 …): Fernet tokens in text columns.

Keys:

- ``settings.ENNOSHITA_FIELD_KEY``: the key new tokens are made with. Either a Fernet key (32 bytes,
  url-safe base64, ``Fernet.generate_key()``) or any other text (a pass phrase), from which a key is
  derived. Empty: the key is derived from ``SECRET_KEY``.
- ``settings.ENNOSHITA_FIELD_KEYS_OLD``: keys that still open older tokens (a list, or one string with
  the keys separated by commas), for key rotation: put the old key here, the new one in
  ``ENNOSHITA_FIELD_KEY``, and re-encrypt with :func:`rotate` at leisure.
- When ``ENNOSHITA_FIELD_KEY`` is set, the key derived from ``SECRET_KEY`` is accepted for reading
  too, so that an installation that ran without a field key keeps reading what it wrote.

Derivation: HKDF-SHA256 (RFC 5869) over the UTF-8 text, no salt, a fixed ``info`` label, 32 bytes.
Backups hold the tokens, not the plain text: keep the keys (or the SECRET_KEY) with them.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

INFO_LABEL = b"ennoshita.core.crypto field key v1"


class DecryptionError(Exception):
    """A token that none of the configured keys opens (a wrong key, or a damaged value)."""


def derive_key(material: str) -> bytes:
    """A Fernet key from any text, by HKDF-SHA256 with the fixed label."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=INFO_LABEL).derive(
        material.encode("utf-8")
    )
    return base64.urlsafe_b64encode(raw)


def _as_key(value: str) -> bytes:
    """A Fernet key as given, else one derived from the text."""
    text = value.strip()
    try:
        if len(base64.urlsafe_b64decode(text.encode("ascii"))) == 32:
            return text.encode("ascii")
    except (binascii.Error, ValueError, UnicodeEncodeError):
        pass
    return derive_key(text)


def _old_keys(value: Any) -> tuple[str, ...]:
    if not value:
        return ()
    items: Iterable[Any] = value.split(",") if isinstance(value, str) else value
    return tuple(str(v).strip() for v in items if str(v).strip())


@lru_cache(maxsize=8)
def _fernet(primary: str, old: tuple[str, ...], secret: str) -> MultiFernet:
    keys: list[bytes] = [_as_key(primary) if primary else derive_key(secret)]
    for value in old:
        keys.append(_as_key(value))
    if primary:
        keys.append(derive_key(secret))
    unique: list[bytes] = []
    for key in keys:
        if key not in unique:
            unique.append(key)
    return MultiFernet([Fernet(k) for k in unique])


def fernet() -> MultiFernet:
    """The keys of the current settings (first: the one that encrypts)."""
    return _fernet(
        str(getattr(settings, "ENNOSHITA_FIELD_KEY", "") or ""),
        _old_keys(getattr(settings, "ENNOSHITA_FIELD_KEYS_OLD", ())),
        str(settings.SECRET_KEY),
    )


def encrypt_text(text: str) -> str:
    """A token for ``text``; the empty text stays empty (nothing recorded is not a secret)."""
    if not text:
        return ""
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError("暗号化された値を復号できません(鍵の設定を確かめてください)。") from exc


def encrypt_json(value: Any) -> str:
    """A token for a JSON value (keys sorted); None stays empty."""
    if value is None:
        return ""
    return encrypt_text(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


def decrypt_json(token: str) -> Any:
    if not token:
        return None
    text = decrypt_text(token)
    try:
        return json.loads(text)
    except ValueError as exc:
        raise DecryptionError("復号した値がJSONではありません。") from exc


def rotate(token: str) -> str:
    """The token re-encrypted with the current key (the same token's text, a new key)."""
    if not token:
        return ""
    try:
        return fernet().rotate(token.encode("ascii")).decode("ascii")
    except (InvalidToken, ValueError) as exc:
        raise DecryptionError("暗号化された値を復号できません(鍵の設定を確かめてください)。") from exc
