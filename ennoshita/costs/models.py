"""What a company counts as indirect cost (間接経費) and when a rise is flagged."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel

# 消耗品費, 通信費, 水道光熱費, 地代家賃, 旅費交通費, 接待交際費, 支払手数料, 外注費 (issue 7; codes of
# ledger/chart.py): the default set, which a company can change on the settings screen
DEFAULT_INDIRECT_ACCOUNT_CODES = ["6310", "6270", "6340", "6410", "6260", "6240", "6370", "6210"]


def default_indirect_account_codes() -> list[str]:
    return list(DEFAULT_INDIRECT_ACCOUNT_CODES)


class IndirectCostSettings(CompanyScopedModel):
    account_codes = models.JSONField(
        _("間接経費とする勘定科目コード"), default=default_indirect_account_codes
    )
    rise_threshold_percent = models.PositiveSmallIntegerField(
        _("注意を出す上昇率(直近3か月平均比、%)"), default=20
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("間接経費の設定")
        verbose_name_plural = _("間接経費の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="costs_settings_one_per_company")]

    def __str__(self) -> str:
        return str(_("間接経費の設定"))
