"""Turn audit events into the rows of a 変更履歴 tab: field label, before, after (human words)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import AuditEvent

ACTION_LABELS: dict[str, Any] = {
    "create": _("作成"),
    "page_view": _("閲覧(外部アシスタント)"),
    "access_denied": _("アクセス拒否"),
    "registry_filed": _("登記の申請"),
    "registry_registered": _("登記完了"),
    "review_assign": _("担当者の決定"),
    "review_return": _("回答"),
    "review_resubmit": _("再依頼"),
    "review_close": _("完了"),
    "view": _("閲覧"),
    "matter_status": _("状態の変更"),
    "matter_answer": _("回答"),
    "matter_note": _("経過メモ"),
    "matter_member_add": _("関係者の追加"),
    "matter_member_remove": _("関係者の削除"),
    "request_take": _("着手"),
    "request_hand_over": _("引継ぎ"),
    "request_comment": _("コメント"),
    "request_status": _("状態の変更"),
    "request_close": _("完了"),
    "request_cancel": _("取消"),
    "request_release": _("担当者なしに戻す"),
    "request_record": _("対象の記録"),
    "request_attach": _("ファイル追加"),
    "request_overdue": _("期限超過の通知"),
    "team_member_add": _("メンバー追加"),
    "team_member_remove": _("メンバー除外"),
    "team_revoke": _("契約解除"),
    "recurring_advance": _("定期依頼の次回"),
    "contract_status": _("状態の変更"),
    "renew": _("自動更新"),
    "ip_pay": _("納付"),
    "ip_renew": _("更新登録"),
    "ip_lapse": _("消滅"),
    "ip_abandon": _("放棄"),
    "ip_register": _("登録"),
    "update": _("更新"),
    "delete": _("削除"),
    "transfer": _("異動"),
    "cancel_transfer": _("異動取消"),
    "import": _("取込"),
    "revoke": _("失効"),
    "password_change": _("パスワード変更"),
    "trash": _("ゴミ箱へ移動"),
    "restore": _("復元"),
    "restore_version": _("版の復元"),
    "share": _("共有"),
    "unshare": _("共有解除"),
    "attach": _("添付"),
    "detach": _("添付解除"),
    "post": _("記帳"),
    "lock": _("月次締め"),
    "unlock": _("締め解除"),
    "close": _("年度締め"),
    "reopen": _("年度締め解除"),
    "backup": _("バックアップ"),
    "backup_download": _("バックアップのダウンロード"),
    "issue": _("発行"),
    "send": _("送付"),
    "dismiss": _("対象外にする"),
    "apply_advance": _("前受金の充当"),
    "refund": _("返金"),
    "submit": _("申請"),
    "approve": _("承認"),
    "reject": _("却下"),
    "send_back": _("差し戻し"),
    "withdraw": _("取り下げ"),
    "resubmit": _("再申請"),
    "remind": _("承認の催促"),
    # 総務・受付
    "notify": _("通知"),
    "signup": _("参加申込"),
    "cancel_signup": _("申込取消"),
    "cancel": _("取消"),
    "close_signups": _("受付終了"),
    "lend": _("貸与"),
    "return": _("返却"),
    "dispose": _("廃棄"),
    "activate": _("使用再開"),
    "deactivate": _("使用停止"),
    "check_in": _("受付"),
    "check_out": _("退館"),
    "walk_in": _("飛び込み受付"),
    "no_show": _("来訪なし"),
    "erase_personal_data": _("個人情報の削除"),
    "done": _("対応済み"),
    "request_in_progress": _("対応開始"),
    "request_open": _("受付待ちに戻す"),
    "request_done": _("完了"),
    "request_cancelled": _("取消"),
    "new_version": _("新しい版"),
    "publish": _("公開"),
    "replace": _("改定により置換"),
    "acknowledge": _("既読確認"),
    "add_audience": _("対象者の追加"),
    "remind_rule": _("既読確認の催促"),
}

EXTRA_LABELS: dict[str, Any] = {
    "body": _("内容"),
    "name": _("氏名"),
    "comment": _("コメント"),
    "department_name": _("所属"),
    "position_name": _("役職"),
    "effective_from": _("発令日"),
    "reason": _("事由"),
    "password": _("パスワード"),
    "row": _("取込行"),
    "due_on": _("期限"),
    "days_before": _("何日前"),
    "file": _("ファイル"),
    "paid_on": _("支払日"),
    "surcharge": _("割増料金"),
    "deadline": _("期限の内容"),
}


@dataclass(frozen=True)
class HistoryRow:
    label: str
    before: Any
    after: Any


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _display(field: models.Field | None, value: Any, cache: LabelCache) -> Any:
    if value is None or field is None:
        return value
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(field, models.BooleanField):
        return _("はい") if value else _("いいえ")
    if isinstance(field, models.ForeignKey):
        return _related_label(field.related_model, value, cache)
    return value


LabelCache = dict[tuple[str, str], str]


def _related_label(model: Any, pk: Any, cache: LabelCache) -> str:
    """The label of a referenced row, looked up once per table (not once per history row)."""
    key = (model._meta.label_lower, str(pk))
    if key not in cache:
        target = model._default_manager.filter(pk=pk).first()
        cache[key] = str(target) if target is not None else f"#{pk}"
    return cache[key]


def history_rows(event: AuditEvent, cache: LabelCache | None = None) -> list[HistoryRow]:
    cache = {} if cache is None else cache
    model = _model(event.object_type)
    rows: list[HistoryRow] = []
    for name, pair in (event.changes.get("fields") or {}).items():
        field = None
        if model is not None:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and not getattr(field, "concrete", False):
                field = None  # a reverse relation's name used for details, not a column
        label = str(getattr(field, "verbose_name", name))
        before, after = pair
        rows.append(HistoryRow(label, _display(field, before, cache), _display(field, after, cache)))  # type: ignore[arg-type]
    extra = event.changes.get("extra") or {}
    for key, label in EXTRA_LABELS.items():
        if key in extra:
            value = extra[key]
            if key == "reason" and model is not None and event.object_type.startswith("people."):
                value = _reason_label(value)
            rows.append(HistoryRow(str(label), None, value))
    if "cancelled" in extra:
        c = extra["cancelled"]
        rows.append(HistoryRow(str(_("取り消した異動")), c.get("effective_from"), None))
    if not rows:
        rows.append(HistoryRow("—", None, None))
    return rows


def _reason_label(value: str) -> str:
    placement = _model("people.placement")
    if placement is None:
        return value
    reason: Any = placement._meta.get_field("reason")
    return str(dict(reason.flatchoices).get(value, value))


def history_table(events: Iterable[AuditEvent]) -> list[tuple[AuditEvent, list[HistoryRow]]]:
    """Rows for many events, sharing one lookup of each referenced row."""
    cache: LabelCache = {}
    return [(ev, history_rows(ev, cache)) for ev in events]
