import itertools
import re

import pytest

from ennoshita.ledger.chart import (
    CASH_ACCOUNT_CODE,
    CONSUMPTION_TAX_PAYABLE_ACCOUNT_CODE,
    CONSUMPTION_TAX_RECEIVABLE_ACCOUNT_CODE,
    INPUT_TAX_ACCOUNT_CODE,
    OUTPUT_TAX_ACCOUNT_CODE,
    RETAINED_EARNINGS_ACCOUNT_CODE,
    SECTION_CODE_RANGES,
    SECTIONS,
    SECTIONS_BY_KEY,
    STANDARD_CHART,
    WITHHOLDINGS_ACCOUNT_CODE,
    account_by_code,
    account_by_name,
)
from ennoshita.ledger.rules import TAX_CATEGORIES

KATAKANA = re.compile(r"^[ァ-ヶー・]+$")
CONTRA_NAMES = {"貸倒引当金", "減価償却累計額", "自己株式", "売上値引・返品", "期末商品棚卸高"}

# Every 科目 of jp-rules §10's table.
JP_RULES_TABLE = {
    "current_assets": "現金 小口現金 当座預金 普通預金 定期預金 受取手形 電子記録債権 売掛金 有価証券 商品 製品 "
    "仕掛品 原材料 貯蔵品 前渡金 立替金 前払費用 未収入金 未収収益 短期貸付金 仮払金 仮払消費税等 貸倒引当金",
    "fixed_tangible": "建物 建物附属設備 構築物 機械装置 車両運搬具 工具器具備品 一括償却資産 土地 建設仮勘定 "
    "減価償却累計額",
    "fixed_intangible": "ソフトウェア のれん 商標権 特許権 借地権 電話加入権",
    "investments": "投資有価証券 関係会社株式 出資金 長期貸付金 長期前払費用 差入保証金 敷金 保険積立金 繰延税金資産",
    "deferred_assets": "創立費 開業費 開発費 株式交付費 社債発行費",
    "current_liabilities": "支払手形 電子記録債務 買掛金 短期借入金 未払金 未払費用 未払法人税等 未払消費税等 前受金 "
    "預り金 前受収益 仮受金 仮受消費税等 賞与引当金",
    "long_term_liabilities": "長期借入金 社債 退職給付引当金 長期未払金 繰延税金負債 資産除去債務",
    "net_assets": "資本金 資本準備金 その他資本剰余金 利益準備金 別途積立金 繰越利益剰余金 自己株式 "
    "その他有価証券評価差額金 新株予約権",
    "sales": "売上高 売上値引・返品",
    "cost_of_sales": "期首商品棚卸高 仕入高 期末商品棚卸高 材料費 労務費 外注加工費 製造経費",
    "sga": "役員報酬 給料手当 賞与 退職金 法定福利費 福利厚生費 外注費 荷造運賃 広告宣伝費 接待交際費 会議費 "
    "旅費交通費 通信費 販売手数料 消耗品費 事務用品費 修繕費 水道光熱費 新聞図書費 諸会費 支払手数料 車両費 "
    "地代家賃 賃借料 保険料 租税公課 減価償却費 貸倒引当金繰入額 研修費 雑費",
    "non_operating_income": "受取利息 受取配当金 有価証券売却益 為替差益 雑収入",
    "non_operating_expenses": "支払利息 手形売却損 為替差損 雑損失",
    "extraordinary_income": "固定資産売却益 投資有価証券売却益 前期損益修正益",
    "extraordinary_losses": "固定資産売却損 固定資産除却損 減損損失 災害による損失",
    "income_taxes": "法人税、住民税及び事業税 法人税等調整額",
}


def test_every_section_of_the_issue_is_present_in_order():
    assert [s.key for s in SECTIONS] == [
        "current_assets",
        "fixed_tangible",
        "fixed_intangible",
        "investments",
        "deferred_assets",
        "current_liabilities",
        "long_term_liabilities",
        "net_assets",
        "sales",
        "cost_of_sales",
        "sga",
        "non_operating_income",
        "non_operating_expenses",
        "extraordinary_income",
        "extraordinary_losses",
        "income_taxes",
    ]
    assert [s.order for s in SECTIONS] == sorted(s.order for s in SECTIONS)
    assert SECTIONS_BY_KEY["sga"].label == "販売費及び一般管理費"
    assert {s.key for s in SECTIONS if s.statement == "BS"} == {
        "current_assets",
        "fixed_tangible",
        "fixed_intangible",
        "investments",
        "deferred_assets",
        "current_liabilities",
        "long_term_liabilities",
        "net_assets",
    }
    assert set(SECTION_CODE_RANGES) == set(SECTIONS_BY_KEY)


def test_every_section_has_accounts():
    assert {a.section for a in STANDARD_CHART} == set(SECTIONS_BY_KEY)


def test_every_account_of_the_jp_rules_table_is_in_its_section():
    for section, names in JP_RULES_TABLE.items():
        for name in names.split():
            assert account_by_name(name).section == section, name


def test_codes_and_names_are_unique():
    codes = [a.code for a in STANDARD_CHART]
    names = [a.name for a in STANDARD_CHART]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)
    assert len(STANDARD_CHART) >= 140


def test_codes_are_four_digits_within_their_section_range():
    for a in STANDARD_CHART:
        low, high = SECTION_CODE_RANGES[a.section]
        assert re.fullmatch(r"\d{4}", a.code), a
        assert low <= a.code <= high, a


def test_the_chart_is_in_code_order():
    codes = [a.code for a in STANDARD_CHART]
    assert codes == sorted(codes)


def test_section_ranges_do_not_overlap():
    ranges = sorted(SECTION_CODE_RANGES.values())
    for (_, high), (low, _) in itertools.pairwise(ranges):
        assert high < low


def test_every_tax_category_exists():
    for a in STANDARD_CHART:
        assert a.tax_category in TAX_CATEGORIES, a


def test_kana_are_full_width_katakana():
    for a in STANDARD_CHART:
        assert KATAKANA.match(a.kana), a


@pytest.mark.parametrize("name", sorted(CONTRA_NAMES))
def test_contra_accounts_stand_on_the_opposite_side(name):
    account = account_by_name(name)
    assert account.contra
    assert account.normal_side != SECTIONS_BY_KEY[account.section].normal_side


def test_other_accounts_follow_their_section():
    assert {a.name for a in STANDARD_CHART if a.contra} == CONTRA_NAMES
    for a in STANDARD_CHART:
        if not a.contra:
            assert a.normal_side == SECTIONS_BY_KEY[a.section].normal_side, a


@pytest.mark.parametrize(
    ("name", "tax_category"),
    [
        ("売上高", "S10"),
        ("仕入高", "P10"),
        ("地代家賃", "P10"),
        ("給料手当", "OUT"),
        ("法定福利費", "OUT"),
        ("減価償却費", "OUT"),
        ("受取利息", "S_EXEMPT"),
        ("支払利息", "P_EXEMPT"),
        ("普通預金", "OUT"),
        ("工具器具備品", "P10"),
        ("土地", "P_EXEMPT"),
    ],
)
def test_default_tax_categories(name, tax_category):
    assert account_by_name(name).tax_category == tax_category


def test_named_account_codes():
    assert account_by_code(CASH_ACCOUNT_CODE).name == "現金"
    assert account_by_code(INPUT_TAX_ACCOUNT_CODE).name == "仮払消費税等"
    assert account_by_code(OUTPUT_TAX_ACCOUNT_CODE).name == "仮受消費税等"
    assert account_by_code(RETAINED_EARNINGS_ACCOUNT_CODE).name == "繰越利益剰余金"
    assert account_by_code(CONSUMPTION_TAX_PAYABLE_ACCOUNT_CODE).name == "未払消費税等"
    assert account_by_code(CONSUMPTION_TAX_RECEIVABLE_ACCOUNT_CODE).name == "未収消費税等"
    assert account_by_code(WITHHOLDINGS_ACCOUNT_CODE).name == "預り金"


def test_lookup_of_an_unknown_account_raises():
    with pytest.raises(KeyError):
        account_by_name("存在しない科目")
