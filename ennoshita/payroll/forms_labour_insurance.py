"""Forms of 「労働保険の年度更新」: the figures asked for (保険年度, this year's estimates, the
申告済概算保険料, 延納 or not) and the company's 労災保険率 with the 事務組合 flag. They only parse;
the rules and the service check (their messages are put on these fields)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .rules import labour_insurance as rules

MAX_YEN = 100_000_000_000


def _yen(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, max_value=MAX_YEN, required=False, help_text=help_text
    )


SPLIT_CHOICES = [
    ("", _("できるときは延納(3回)")),
    ("lump", _("一括で納付")),
]


class FilingForm(forms.Form):
    """GET parameters of the screen (and the CSV/Excel links)."""

    year = forms.TypedChoiceField(label=_("保険年度(確定保険料の年度)"), coerce=int)
    workers_comp_estimate = _yen(
        _("今年度の賃金総額の見込額(労災保険)"), _("空欄は前年度の賃金総額(概算保険料の原則)。")
    )
    employment_estimate = _yen(_("今年度の賃金総額の見込額(雇用保険)"), _("空欄は前年度の賃金総額。"))
    paid_estimate = _yen(
        _("申告済概算保険料額"),
        _("前年度の年度更新で申告した概算保険料(前年の申告書の額)。入れると差額(充当・不足)を計算します。"),
    )
    split = forms.ChoiceField(label=_("納付の方法"), choices=SPLIT_CHOICES, required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, f"{rules.year_label(y)}({y}年4月〜{y + 1}年3月)") for y in years
        ]


MANUAL = ""


def industry_choices() -> list[tuple[str, str]]:
    rows = [(MANUAL, str(_("手入力(下の欄)")))]
    for i, row in enumerate(rules.workers_comp_industries()):
        rows.append((str(i), f"{row.category} — {row.name}: {row.rate.normalize():f}/1000"))
    return rows


class WorkersCompRateForm(forms.Form):
    """労災保険率: an industry of the 労災保険率表, or a rate typed in (メリット制 or a table change)."""

    industry = forms.ChoiceField(label=_("事業の種類(労災保険率表)"), required=False)
    workers_comp_rate = forms.DecimalField(
        label=_("労災保険率(1000分の、手入力)"),
        required=False,
        min_value=Decimal(0),
        max_digits=6,
        decimal_places=2,
        help_text=_("メリット制で率が変わっているときなどに入れます。入れると表の選択より優先します。"),
    )
    association = forms.BooleanField(label=_("労働保険事務組合に委託している"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["industry"].choices = industry_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rate = data.get("workers_comp_rate")
        industry = data.get("industry") or MANUAL
        if rate is None and industry != MANUAL:
            data["workers_comp_rate"] = rules.workers_comp_industries()[int(industry)].rate
        elif rate is None:
            self.add_error("workers_comp_rate", _("事業の種類を選ぶか、労災保険率を入れてください。"))
        return data


def industry_of(rate: Decimal) -> str:
    """The first industry with this rate (to preselect), or manual."""
    for i, row in enumerate(rules.workers_comp_industries()):
        if row.rate == rate and row.name == "その他の各種事業":
            return str(i)
    return MANUAL
