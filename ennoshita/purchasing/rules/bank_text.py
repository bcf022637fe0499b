"""§8 characters: names as banks accept them. The rules live in ``ennoshita.core.bank_text`` (pure,
used by people and payroll as well); re-exported here as part of the purchasing rules."""

from ennoshita.core.bank_text import BANK_CHARACTERS, LEGAL_ENTITY_ABBREVIATIONS, bank_characters, bank_kana

__all__ = ["BANK_CHARACTERS", "LEGAL_ENTITY_ABBREVIATIONS", "bank_characters", "bank_kana"]
