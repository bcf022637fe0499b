"""The standard SME chart of accounts (標準勘定科目), as data.

No statute lists account names: 会社計算規則 fixes the sections of the 貸借対照表 (73–76条) and the
損益計算書 (88–94条) and asks only for 「適当な名称」 (73条2項, 88条7項). The codes follow the
proposal in jp-rules §10; they are Ennoshita's, not a standard. A company's own chart is copied from
this one and may then be edited.

Each account carries a default 税区分 (a key of ``rules.TAX_CATEGORIES``) that a journal line starts
with; the user changes it per line (overseas travel → OUT, food → P8R, land → P_EXEMPT, …).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext_noop

from ennoshita.ledger.rules import NormalSide

Statement = Literal["BS", "PL"]


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    statement: Statement
    normal_side: NormalSide
    order: int


_SECTION_ROWS: tuple[tuple[str, str, Statement, NormalSide], ...] = (
    # 貸借対照表 (会社計算規則73–76条)
    ("current_assets", gettext_noop("流動資産"), "BS", "debit"),
    ("fixed_tangible", gettext_noop("有形固定資産"), "BS", "debit"),
    ("fixed_intangible", gettext_noop("無形固定資産"), "BS", "debit"),
    ("investments", gettext_noop("投資その他の資産"), "BS", "debit"),
    ("deferred_assets", gettext_noop("繰延資産"), "BS", "debit"),
    ("current_liabilities", gettext_noop("流動負債"), "BS", "credit"),
    ("long_term_liabilities", gettext_noop("固定負債"), "BS", "credit"),
    ("net_assets", gettext_noop("純資産"), "BS", "credit"),
    # 損益計算書 (会社計算規則88–94条)
    ("sales", gettext_noop("売上高"), "PL", "credit"),
    ("cost_of_sales", gettext_noop("売上原価"), "PL", "debit"),
    ("sga", gettext_noop("販売費及び一般管理費"), "PL", "debit"),
    ("non_operating_income", gettext_noop("営業外収益"), "PL", "credit"),
    ("non_operating_expenses", gettext_noop("営業外費用"), "PL", "debit"),
    ("extraordinary_income", gettext_noop("特別利益"), "PL", "credit"),
    ("extraordinary_losses", gettext_noop("特別損失"), "PL", "debit"),
    ("income_taxes", gettext_noop("法人税等"), "PL", "debit"),
)
SECTIONS: tuple[Section, ...] = tuple(
    Section(key=key, label=label, statement=statement, normal_side=side, order=order)
    for order, (key, label, statement, side) in enumerate(_SECTION_ROWS, start=1)
)
SECTIONS_BY_KEY: dict[str, Section] = {s.key: s for s in SECTIONS}

# The code block of each section (jp-rules §10), inclusive.
SECTION_CODE_RANGES: dict[str, tuple[str, str]] = {
    "current_assets": ("1100", "1199"),
    "fixed_tangible": ("1200", "1299"),
    "fixed_intangible": ("1300", "1349"),
    "investments": ("1350", "1399"),
    "deferred_assets": ("1400", "1499"),
    "current_liabilities": ("2100", "2199"),
    "long_term_liabilities": ("2200", "2299"),
    "net_assets": ("3000", "3999"),
    "sales": ("4000", "4999"),
    "cost_of_sales": ("5000", "5999"),
    "sga": ("6000", "6999"),
    "non_operating_income": ("7100", "7199"),
    "non_operating_expenses": ("7200", "7299"),
    "extraordinary_income": ("8100", "8199"),
    "extraordinary_losses": ("8200", "8299"),
    "income_taxes": ("9000", "9999"),
}


@dataclass(frozen=True)
class ChartAccount:
    code: str
    name: str
    kana: str  # reading in full-width katakana, for sorting and search
    section: str  # a Section key
    normal_side: NormalSide
    tax_category: str  # a rules.TAX_CATEGORIES key: the default 税区分 of a line
    contra: bool = False  # 評価勘定/控除項目 (△): stands on the side opposite to its section


_FLIP: dict[NormalSide, NormalSide] = {"debit": "credit", "credit": "debit"}

# (code, name, kana, default tax category, contra), grouped by section.
_ROWS: dict[str, tuple[tuple[str, str, str, str, bool], ...]] = {
    "current_assets": (
        ("1110", "現金", "ゲンキン", "OUT", False),
        ("1111", "小口現金", "コグチゲンキン", "OUT", False),
        ("1120", "当座預金", "トウザヨキン", "OUT", False),
        ("1121", "普通預金", "フツウヨキン", "OUT", False),
        ("1122", "定期預金", "テイキヨキン", "OUT", False),
        ("1130", "受取手形", "ウケトリテガタ", "OUT", False),
        ("1131", "電子記録債権", "デンシキロクサイケン", "OUT", False),
        ("1132", "売掛金", "ウリカケキン", "OUT", False),
        ("1140", "有価証券", "ユウカショウケン", "OUT", False),
        ("1150", "商品", "ショウヒン", "OUT", False),
        ("1151", "製品", "セイヒン", "OUT", False),
        ("1152", "仕掛品", "シカカリヒン", "OUT", False),
        ("1153", "原材料", "ゲンザイリョウ", "OUT", False),
        ("1154", "貯蔵品", "チョゾウヒン", "OUT", False),
        ("1160", "前渡金", "マエワタシキン", "OUT", False),
        ("1161", "立替金", "タテカエキン", "OUT", False),
        ("1162", "前払費用", "マエバライヒヨウ", "OUT", False),
        ("1163", "未収入金", "ミシュウニュウキン", "OUT", False),
        ("1164", "未収収益", "ミシュウシュウエキ", "OUT", False),
        ("1165", "短期貸付金", "タンキカシツケキン", "OUT", False),
        ("1170", "仮払金", "カリバライキン", "OUT", False),
        ("1171", "仮払消費税等", "カリバライショウヒゼイトウ", "OUT", False),
        ("1172", "仮払法人税等", "カリバライホウジンゼイトウ", "OUT", False),
        ("1173", "未収消費税等", "ミシュウショウヒゼイトウ", "OUT", False),
        ("1190", "貸倒引当金", "カシダオレヒキアテキン", "OUT", True),
    ),
    "fixed_tangible": (
        # Buying a depreciable asset is a 課税仕入れ (消費税法30条): credited in the year of purchase.
        ("1210", "建物", "タテモノ", "P10", False),
        ("1211", "建物附属設備", "タテモノフゾクセツビ", "P10", False),
        ("1220", "構築物", "コウチクブツ", "P10", False),
        ("1230", "機械装置", "キカイソウチ", "P10", False),
        ("1240", "車両運搬具", "シャリョウウンパング", "P10", False),
        ("1250", "工具器具備品", "コウグキグビヒン", "P10", False),
        ("1260", "一括償却資産", "イッカツショウキャクシサン", "P10", False),
        ("1270", "土地", "トチ", "P_EXEMPT", False),  # 土地の譲渡 is 非課税 (別表第二第1号)
        ("1280", "建設仮勘定", "ケンセツカリカンジョウ", "OUT", False),
        ("1290", "減価償却累計額", "ゲンカショウキャクルイケイガク", "OUT", True),
    ),
    "fixed_intangible": (
        ("1310", "ソフトウェア", "ソフトウェア", "P10", False),
        ("1320", "のれん", "ノレン", "OUT", False),
        ("1330", "商標権", "ショウヒョウケン", "P10", False),
        ("1331", "特許権", "トッキョケン", "P10", False),
        ("1340", "借地権", "シャクチケン", "P_EXEMPT", False),  # 土地の上に存する権利: 非課税
        ("1341", "電話加入権", "デンワカニュウケン", "P10", False),
    ),
    "investments": (
        ("1350", "投資有価証券", "トウシユウカショウケン", "OUT", False),
        ("1351", "関係会社株式", "カンケイガイシャカブシキ", "OUT", False),
        ("1355", "出資金", "シュッシキン", "OUT", False),
        ("1360", "長期貸付金", "チョウキカシツケキン", "OUT", False),
        ("1365", "長期前払費用", "チョウキマエバライヒヨウ", "OUT", False),
        ("1370", "差入保証金", "サシイレホショウキン", "OUT", False),
        ("1371", "敷金", "シキキン", "OUT", False),
        ("1380", "保険積立金", "ホケンツミタテキン", "OUT", False),
        ("1390", "繰延税金資産", "クリノベゼイキンシサン", "OUT", False),
    ),
    "deferred_assets": (
        ("1410", "創立費", "ソウリツヒ", "P10", False),
        ("1420", "開業費", "カイギョウヒ", "P10", False),
        ("1430", "開発費", "カイハツヒ", "P10", False),
        ("1440", "株式交付費", "カブシキコウフヒ", "P10", False),
        ("1450", "社債発行費", "シャサイハッコウヒ", "P10", False),
    ),
    "current_liabilities": (
        ("2110", "支払手形", "シハライテガタ", "OUT", False),
        ("2111", "電子記録債務", "デンシキロクサイム", "OUT", False),
        ("2112", "買掛金", "カイカケキン", "OUT", False),
        ("2120", "短期借入金", "タンキカリイレキン", "OUT", False),
        ("2130", "未払金", "ミバライキン", "OUT", False),
        ("2131", "未払費用", "ミバライヒヨウ", "OUT", False),
        ("2132", "未払法人税等", "ミバライホウジンゼイトウ", "OUT", False),
        ("2133", "未払消費税等", "ミバライショウヒゼイトウ", "OUT", False),
        ("2140", "前受金", "マエウケキン", "OUT", False),
        # 源泉所得税・住民税・社会保険料本人分 (jp-rules §10); one account, kinds kept by 補助科目/memo.
        ("2150", "預り金", "アズカリキン", "OUT", False),
        ("2160", "前受収益", "マエウケシュウエキ", "OUT", False),
        ("2170", "仮受金", "カリウケキン", "OUT", False),
        ("2171", "仮受消費税等", "カリウケショウヒゼイトウ", "OUT", False),
        ("2180", "賞与引当金", "ショウヨヒキアテキン", "OUT", False),
    ),
    "long_term_liabilities": (
        ("2210", "長期借入金", "チョウキカリイレキン", "OUT", False),
        ("2220", "社債", "シャサイ", "OUT", False),
        ("2230", "退職給付引当金", "タイショクキュウフヒキアテキン", "OUT", False),
        ("2240", "長期未払金", "チョウキミバライキン", "OUT", False),
        ("2250", "繰延税金負債", "クリノベゼイキンフサイ", "OUT", False),
        ("2260", "資産除去債務", "シサンジョキョサイム", "OUT", False),
    ),
    "net_assets": (
        ("3100", "資本金", "シホンキン", "OUT", False),
        ("3200", "資本準備金", "シホンジュンビキン", "OUT", False),
        ("3210", "その他資本剰余金", "ソノタシホンジョウヨキン", "OUT", False),
        ("3300", "利益準備金", "リエキジュンビキン", "OUT", False),
        ("3310", "別途積立金", "ベットツミタテキン", "OUT", False),
        ("3320", "繰越利益剰余金", "クリコシリエキジョウヨキン", "OUT", False),
        ("3400", "自己株式", "ジコカブシキ", "OUT", True),
        ("3500", "その他有価証券評価差額金", "ソノタユウカショウケンヒョウカサガクキン", "OUT", False),
        ("3600", "新株予約権", "シンカブヨヤクケン", "OUT", False),
    ),
    "sales": (
        ("4100", "売上高", "ウリアゲダカ", "S10", False),
        ("4190", "売上値引・返品", "ウリアゲネビキ・ヘンピン", "S10", True),
    ),
    "cost_of_sales": (
        ("5100", "期首商品棚卸高", "キシュショウヒンタナオロシダカ", "OUT", False),
        ("5200", "仕入高", "シイレダカ", "P10", False),
        ("5300", "期末商品棚卸高", "キマツショウヒンタナオロシダカ", "OUT", True),
        # 製造原価
        ("5410", "材料費", "ザイリョウヒ", "P10", False),
        ("5420", "労務費", "ロウムヒ", "OUT", False),
        ("5430", "外注加工費", "ガイチュウカコウヒ", "P10", False),
        ("5440", "製造経費", "セイゾウケイヒ", "P10", False),
    ),
    "sga": (
        # Pay and social insurance are not 課税仕入れ (不課税).
        ("6110", "役員報酬", "ヤクインホウシュウ", "OUT", False),
        ("6120", "給料手当", "キュウリョウテアテ", "OUT", False),
        ("6130", "賞与", "ショウヨ", "OUT", False),
        ("6140", "退職金", "タイショクキン", "OUT", False),
        ("6150", "法定福利費", "ホウテイフクリヒ", "OUT", False),
        ("6160", "福利厚生費", "フクリコウセイヒ", "P10", False),
        ("6210", "外注費", "ガイチュウヒ", "P10", False),
        ("6220", "荷造運賃", "ニヅクリウンチン", "P10", False),
        ("6230", "広告宣伝費", "コウコクセンデンヒ", "P10", False),
        ("6240", "接待交際費", "セッタイコウサイヒ", "P10", False),
        ("6250", "会議費", "カイギヒ", "P10", False),
        ("6260", "旅費交通費", "リョヒコウツウヒ", "P10", False),
        ("6270", "通信費", "ツウシンヒ", "P10", False),
        ("6280", "販売手数料", "ハンバイテスウリョウ", "P10", False),
        ("6310", "消耗品費", "ショウモウヒンヒ", "P10", False),
        ("6320", "事務用品費", "ジムヨウヒンヒ", "P10", False),
        ("6330", "修繕費", "シュウゼンヒ", "P10", False),
        ("6340", "水道光熱費", "スイドウコウネツヒ", "P10", False),
        ("6350", "新聞図書費", "シンブントショヒ", "P10", False),
        ("6360", "諸会費", "ショカイヒ", "OUT", False),  # 会費 without 対価性: 不課税 (基通5-5-3)
        ("6370", "支払手数料", "シハライテスウリョウ", "P10", False),
        ("6375", "支払報酬料", "シハライホウシュウリョウ", "P10", False),
        ("6380", "車両費", "シャリョウヒ", "P10", False),
        ("6410", "地代家賃", "チダイヤチン", "P10", False),  # office rent; 住宅・土地 only is 非課税
        ("6420", "賃借料", "チンシャクリョウ", "P10", False),
        ("6425", "リース料", "リースリョウ", "P10", False),
        ("6430", "保険料", "ホケンリョウ", "P_EXEMPT", False),  # 保険料: 非課税 (別表第二第3号)
        ("6440", "租税公課", "ソゼイコウカ", "OUT", False),
        ("6450", "減価償却費", "ゲンカショウキャクヒ", "OUT", False),
        ("6460", "貸倒引当金繰入額", "カシダオレヒキアテキンクリイレガク", "OUT", False),
        ("6465", "貸倒損失", "カシダオレソンシツ", "OUT", False),  # 貸倒れに係る税額 is separate (39条)
        ("6470", "研修費", "ケンシュウヒ", "P10", False),
        ("6480", "寄付金", "キフキン", "OUT", False),
        ("6990", "雑費", "ザッピ", "P10", False),
    ),
    "non_operating_income": (
        ("7110", "受取利息", "ウケトリリソク", "S_EXEMPT", False),  # 利子: 非課税 (別表第二第3号)
        ("7120", "受取配当金", "ウケトリハイトウキン", "OUT", False),
        ("7130", "有価証券売却益", "ユウカショウケンバイキャクエキ", "S_EXEMPT", False),  # 別表第二第2号
        ("7140", "為替差益", "カワセサエキ", "OUT", False),
        ("7190", "雑収入", "ザツシュウニュウ", "S10", False),
    ),
    "non_operating_expenses": (
        ("7210", "支払利息", "シハライリソク", "P_EXEMPT", False),  # 利子: 非課税 (別表第二第3号)
        ("7220", "手形売却損", "テガタバイキャクソン", "P_EXEMPT", False),  # 割引料 is 利子
        ("7230", "為替差損", "カワセサソン", "OUT", False),
        ("7290", "雑損失", "ザツソンシツ", "OUT", False),
    ),
    "extraordinary_income": (
        ("8110", "固定資産売却益", "コテイシサンバイキャクエキ", "S10", False),
        ("8120", "投資有価証券売却益", "トウシユウカショウケンバイキャクエキ", "S_EXEMPT", False),
        ("8130", "前期損益修正益", "ゼンキソンエキシュウセイエキ", "OUT", False),
    ),
    "extraordinary_losses": (
        ("8210", "固定資産売却損", "コテイシサンバイキャクソン", "S10", False),
        ("8220", "固定資産除却損", "コテイシサンジョキャクソン", "OUT", False),
        ("8230", "減損損失", "ゲンソンソンシツ", "OUT", False),
        ("8240", "災害による損失", "サイガイニヨルソンシツ", "OUT", False),
    ),
    "income_taxes": (
        ("9100", "法人税、住民税及び事業税", "ホウジンゼイ・ジュウミンゼイオヨビジギョウゼイ", "OUT", False),
        ("9200", "法人税等調整額", "ホウジンゼイトウチョウセイガク", "OUT", False),
    ),
}


def _account(section: Section, row: tuple[str, str, str, str, bool]) -> ChartAccount:
    code, name, kana, tax_category, contra = row
    side = _FLIP[section.normal_side] if contra else section.normal_side
    return ChartAccount(
        code=code,
        name=name,
        kana=kana,
        section=section.key,
        normal_side=side,
        tax_category=tax_category,
        contra=contra,
    )


STANDARD_CHART: tuple[ChartAccount, ...] = tuple(
    _account(section, row) for section in SECTIONS for row in _ROWS[section.key]
)

_BY_NAME: dict[str, ChartAccount] = {a.name: a for a in STANDARD_CHART}
_BY_CODE: dict[str, ChartAccount] = {a.code: a for a in STANDARD_CHART}

CASH_ACCOUNT_CODE = "1110"  # 現金
INPUT_TAX_ACCOUNT_CODE = "1171"  # 仮払消費税等 (税抜経理: the tax of purchase lines)
CONSUMPTION_TAX_RECEIVABLE_ACCOUNT_CODE = "1173"  # 未収消費税等 (a refund at the close)
WITHHOLDINGS_ACCOUNT_CODE = "2150"  # 預り金
CONSUMPTION_TAX_PAYABLE_ACCOUNT_CODE = "2133"  # 未払消費税等 (tax due at the close)
OUTPUT_TAX_ACCOUNT_CODE = "2171"  # 仮受消費税等 (税抜経理: the tax of sales lines)
RETAINED_EARNINGS_ACCOUNT_CODE = "3320"  # 繰越利益剰余金 (the year-end close target)


def account_by_name(name: str) -> ChartAccount:
    """The standard account called ``name`` (KeyError if there is none)."""
    return _BY_NAME[name]


def account_by_code(code: str) -> ChartAccount:
    """The standard account with ``code`` (KeyError if there is none)."""
    return _BY_CODE[code]
