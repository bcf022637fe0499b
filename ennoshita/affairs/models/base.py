"""The company's 総務 settings and the places things are kept (shared by equipment and consumables)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from ennoshita.core.models import CompanyScopedModel, yen_field


class AffairsSettings(CompanyScopedModel):
    """One row per company."""

    # 取得価額10万円未満の減価償却資産は損金算入できる (法人税法施行令133条): at or over this price an
    # item is flagged for 経理 as a fixed asset to register.
    fixed_asset_threshold = yen_field(_("固定資産として経理に知らせる取得価額"), default=100000)
    # 定期健康診断結果報告 (安衛則52条) is due from 事業場 of 常時50人以上
    checkup_month = models.PositiveSmallIntegerField(_("定期健康診断の実施月"), default=6)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("総務の設定")
        verbose_name_plural = _("総務の設定")
        constraints = [models.UniqueConstraint(fields=["company"], name="affairs_settings_one_per_company")]

    def __str__(self) -> str:
        return str(_("総務の設定"))


class Location(CompanyScopedModel):
    """保管場所・設置場所: a floor, a store room, a branch."""

    name = models.CharField(_("場所"), max_length=100)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("場所")
        verbose_name_plural = _("場所")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["company", "name"], name="affairs_location_unique")]

    def __str__(self) -> str:
        return self.name
