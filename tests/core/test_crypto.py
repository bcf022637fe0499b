"""core.crypto: field tokens, keys from the settings, rotation."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.test import override_settings

from ennoshita.core import crypto

GIVEN_KEY = Fernet.generate_key().decode()


def test_text_round_trip_and_the_token_hides_the_text():
    token = crypto.encrypt_text("血圧 150/95 要再検査")
    assert "血圧" not in token and "150" not in token
    assert crypto.decrypt_text(token) == "血圧 150/95 要再検査"


def test_two_tokens_of_one_text_differ():
    assert crypto.encrypt_text("同じ") != crypto.encrypt_text("同じ")


def test_empty_values_stay_empty():
    assert crypto.encrypt_text("") == ""
    assert crypto.decrypt_text("") == ""
    assert crypto.encrypt_json(None) == ""
    assert crypto.decrypt_json("") is None


def test_json_round_trip():
    value = {"所見": ["肝機能"], "判定": "C", "数値": {"GPT": 58}}
    assert crypto.decrypt_json(crypto.encrypt_json(value)) == value


def test_the_default_key_is_derived_from_the_secret_key():
    token = crypto.encrypt_text("秘密")
    with override_settings(SECRET_KEY="another-secret-" + "y" * 40), pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token)


def test_a_given_fernet_key_is_used_as_is():
    with override_settings(ENNOSHITA_FIELD_KEY=GIVEN_KEY):
        token = crypto.encrypt_text("秘密")
    assert Fernet(GIVEN_KEY.encode()).decrypt(token.encode()).decode() == "秘密"


def test_a_pass_phrase_is_turned_into_a_key():
    with override_settings(ENNOSHITA_FIELD_KEY="correct horse battery staple"):
        token = crypto.encrypt_text("秘密")
        assert crypto.decrypt_text(token) == "秘密"
    derived = crypto.derive_key("correct horse battery staple")
    assert Fernet(derived).decrypt(token.encode()).decode() == "秘密"


def test_tokens_made_before_a_field_key_was_set_still_open():
    before = crypto.encrypt_text("鍵を設定する前")
    with override_settings(ENNOSHITA_FIELD_KEY=GIVEN_KEY):
        assert crypto.decrypt_text(before) == "鍵を設定する前"


def test_rotation_old_keys_open_and_rotate_moves_to_the_new_key():
    old_key = Fernet.generate_key().decode()
    with override_settings(ENNOSHITA_FIELD_KEY=old_key):
        token = crypto.encrypt_text("古い鍵")
    with override_settings(ENNOSHITA_FIELD_KEY=GIVEN_KEY, ENNOSHITA_FIELD_KEYS_OLD=[old_key]):
        assert crypto.decrypt_text(token) == "古い鍵"
        rotated = crypto.rotate(token)
    with override_settings(ENNOSHITA_FIELD_KEY=GIVEN_KEY, ENNOSHITA_FIELD_KEYS_OLD=""):
        assert crypto.decrypt_text(rotated) == "古い鍵"
        with pytest.raises(crypto.DecryptionError):
            crypto.decrypt_text(token)  # the old key is gone


def test_old_keys_may_be_one_comma_separated_string():
    a, b = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(ENNOSHITA_FIELD_KEY=b):
        token = crypto.encrypt_text("b の鍵")
    with override_settings(ENNOSHITA_FIELD_KEY=GIVEN_KEY, ENNOSHITA_FIELD_KEYS_OLD=f"{a}, {b}"):
        assert crypto.decrypt_text(token) == "b の鍵"


def test_a_damaged_token_is_a_decryption_error():
    token = crypto.encrypt_text("秘密")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text(token[:-4] + "AAAA")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt_text("平文")
