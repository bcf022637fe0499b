import pytest

from ennoshita.core.rules import corporate_number_check_digit, is_valid_corporate_number


@pytest.mark.parametrize(
    "number",
    # jp-rules.md §5.3: 国税庁, トヨタ自動車, 国立国会図書館
    ["7000012050002", "1180301018771", "1000011000005"],
)
def test_published_corporate_numbers_are_valid(number):
    assert is_valid_corporate_number(number)


def test_the_worked_example_of_the_check_digit():
    # 基礎番号 000012050002: Σ = 2+5+2+2 = 11, 11 mod 9 = 2, 9 − 2 = 7 (jp-rules.md §5.3)
    assert corporate_number_check_digit("000012050002") == 7


@pytest.mark.parametrize(
    "number", ["8000012050002", "700001205000", "70000120500021", "７000012050002", "A000012050002"]
)
def test_wrong_check_digit_length_or_characters_are_rejected(number):
    assert not is_valid_corporate_number(number)


def test_the_check_digit_is_never_zero():
    for base in ("000000000000", "999999999999", "123456789012", "000000000009"):
        assert 1 <= corporate_number_check_digit(base) <= 9
