"""The department navigation (経理・財務・人事・総務・法務・営業事務・受付・申請・管理).

Only sections that exist are listed, and only to roles that may use them: no dead links. A new app
adds its entries here when its screens land.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ALL = ("*",)


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    roles: tuple[str, ...] = ALL


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: str | Promise
    items: tuple[NavItem, ...]


HR = ("admin", "hr")
BOOKS_READ = ("admin", "accounting", "finance")
BOOKS_WRITE = ("admin", "accounting")
SALES_READ = ("admin", "sales_admin", "accounting", "finance", "manager")
SALES_WRITE = ("admin", "sales_admin", "accounting")
PAYMENTS = ("admin", "accounting", "finance")
APPROVAL_ROUTES = ("admin", "accounting")
# 間接経費: 経理 and the admin see the company, a 所属長 (manager) their departments (costs/permissions.py)
INDIRECT_COSTS = ("admin", "accounting", "manager")
# 経費精算: every role but the outside team (expenses/permissions.py)
# 勤怠の法定計算 (simulator): any member may open it; 人事 and 経理 find it in the menu
ATTENDANCE_RULES = ("admin", "hr", "accounting")
# 給与計算シミュレーター: the same — 人事 and 経理 run payroll
PAYROLL_RULES = ATTENDANCE_RULES
EXPENSE_CLAIMERS = (*BOOKS_READ, "hr", "affairs", "legal", "sales_admin", "frontdesk", "manager", "employee")
# 打刻: the same people (the outside team are not employees)
PUNCHERS = EXPENSE_CLAIMERS
# 給与: settings, runs, everyone's payslips and the tax payments for 人事 and 経理
# (payroll/permissions.py; confirming a run is 経理's, on the run's page)
PAYROLL = ("admin", "hr", "accounting")
# 総務 (affairs/*: each part's permissions) and 受付 (frontdesk/*)
AFFAIRS = ("admin", "affairs")
AFFAIRS_HR = ("admin", "affairs", "hr")
HEALTH = ("admin", "hr", "affairs")
DESK = ("admin", "frontdesk", "affairs")
# 法務 (legal/*): 経理 reads the register (amounts, 印紙税); any member sees the contracts they own
LEGAL = ("admin", "legal")
LEGAL_READ = ("admin", "legal", "accounting")
# 社内のこと: every member but the outside team (お知らせ, 規程, 会議室, 来訪予約, 伝言, 依頼 …)
MEMBERS = PUNCHERS

GROUPS: tuple[NavGroup, ...] = (
    NavGroup(
        "books",
        _("経理"),
        (
            NavItem(_("会計トップ"), "ledger:home", BOOKS_READ),
            NavItem(_("仕訳入力"), "ledger:entry_new", BOOKS_WRITE),
            NavItem(_("仕訳一覧"), "ledger:entry_list", BOOKS_READ),
            NavItem(_("仕訳帳"), "ledger:journal", BOOKS_READ),
            NavItem(_("総勘定元帳"), "ledger:general_ledger", BOOKS_READ),
            NavItem(_("残高試算表"), "ledger:trial_balance", BOOKS_READ),
            NavItem(_("貸借対照表"), "ledger:balance_sheet", BOOKS_READ),
            NavItem(_("損益計算書"), "ledger:profit_and_loss", BOOKS_READ),
            NavItem(_("月次推移表"), "ledger:monthly_trend", BOOKS_READ),
            NavItem(_("消費税集計表"), "ledger:tax_summary", BOOKS_READ),
            NavItem(_("勘定科目"), "ledger:account_list", BOOKS_READ),
            NavItem(_("締め"), "ledger:periods", BOOKS_READ),
            NavItem(_("仕訳CSV取込"), "ledger:import", BOOKS_WRITE),
            NavItem(_("仕訳・帳簿の出力"), "ledger:export", BOOKS_READ),
            NavItem(_("会計の設定"), "ledger:settings", BOOKS_WRITE),
            NavItem(_("経費一覧"), "expenses:all_claims", BOOKS_WRITE),
            NavItem(_("経費の設定"), "expenses:settings", BOOKS_WRITE),
        ),
    ),
    NavGroup(
        "payables",
        _("買掛金・支払"),
        (
            NavItem(_("仕入先請求書"), "purchasing:bill_list", BOOKS_WRITE),
            NavItem(_("買掛金残高"), "purchasing:payable_balances", BOOKS_WRITE),
            NavItem(_("支払予定表"), "purchasing:payable_schedule", BOOKS_WRITE),
            NavItem(_("支払処理(全銀データ)"), "purchasing:payment_run_list", BOOKS_WRITE),
            NavItem(_("仕入先"), "purchasing:vendor_list", BOOKS_WRITE),
            NavItem(_("間接経費"), "costs:dashboard", INDIRECT_COSTS),
            NavItem(_("支払の設定"), "purchasing:payment_settings", BOOKS_WRITE),
            NavItem(_("間接経費の設定"), "costs:settings", BOOKS_WRITE),
        ),
    ),
    NavGroup(
        "sales",
        _("営業事務"),
        (
            NavItem(_("商談ボード"), "sales:opportunity_board", SALES_READ),
            NavItem(_("見積書"), "sales:quote_list", SALES_READ),
            NavItem(_("受注"), "sales:order_list", SALES_READ),
            NavItem(_("請求書"), "sales:invoice_list", SALES_READ),
            NavItem(_("合計請求書の発行"), "sales:summary_run", SALES_WRITE),
            NavItem(_("入金"), "sales:payment_list", SALES_READ),
            NavItem(_("入金明細の取込"), "sales:bank_lines", PAYMENTS),
            NavItem(_("売掛金残高"), "sales:receivable_balances", SALES_READ),
            NavItem(_("年齢表"), "sales:receivable_aging", SALES_READ),
            NavItem(_("期日超過"), "sales:receivable_overdue", SALES_READ),
            NavItem(_("督促"), "sales:reminder_list", SALES_READ),
            NavItem(_("得意先"), "sales:customer_list", SALES_READ),
            NavItem(_("品目"), "sales:product_list", SALES_READ),
            NavItem(_("販売の設定"), "sales:settings", ("admin", "accounting")),
        ),
    ),
    NavGroup(
        "hr",
        _("人事"),
        (
            NavItem(_("社員一覧"), "people:employee_list", HR),
            NavItem(_("組織図"), "people:org_chart", HR),
            NavItem(_("部署"), "people:department_list", HR),
            NavItem(_("役職"), "people:position_list", HR),
            NavItem(_("社員CSV取込"), "people:employee_import", HR),
            NavItem(_("自分の社員情報"), "people:my_record", MEMBERS),
            NavItem(_("出勤簿(社員)"), "attendance:timesheet_index", HR),
            NavItem(_("勤怠の法定計算"), "attendance:rules_simulator", ATTENDANCE_RULES),
            NavItem(_("打刻の取込"), "attendance:punch_import", HR),
            NavItem(_("勤怠の設定"), "attendance:settings", HR),
            NavItem(_("勤怠締め"), "attendance:close_board", HR),
            NavItem(_("36協定"), "attendance:agreement_list", HR),
            NavItem(_("36協定の状況"), "attendance:overtime_dashboard", ("admin", "hr", "manager")),
            NavItem(_("休暇申請一覧"), "attendance:leave_all", ("admin", "hr", "manager")),
            NavItem(_("休暇の種類"), "attendance:leave_types", HR),
            NavItem(_("有給休暇の管理"), "attendance:paid_leave_admin", HR),
            NavItem(_("年5日の取得状況"), "attendance:five_day_list", ("admin", "hr", "manager")),
            NavItem(_("シフト表"), "attendance:shift_table", ("admin", "hr", "manager")),
            NavItem(_("シフトパターン"), "attendance:shift_patterns", ("admin", "hr", "manager")),
        ),
    ),
    NavGroup(
        "payroll",
        _("給与"),
        (
            NavItem(_("給与計算"), "payroll:run_list", PAYROLL),
            NavItem(_("社員の給与設定"), "payroll:employee_list", PAYROLL),
            NavItem(_("住民税の取込"), "payroll:resident_tax_import", PAYROLL),
            NavItem(_("賃金台帳"), "payroll:wage_ledger", PAYROLL),
            NavItem(_("源泉徴収簿"), "payroll:withholding_book", PAYROLL),
            NavItem(_("定時決定・随時改定"), "payroll:revision_list", PAYROLL),
            NavItem(_("退職者と異動届"), "payroll:leavers", PAYROLL),
            NavItem(_("退職金"), "payroll:severance_list", PAYROLL),
            NavItem(_("労働保険の年度更新"), "payroll:labour_insurance", PAYROLL),
            NavItem(_("源泉所得税・住民税の納付"), "payroll:withheld_taxes", PAYROLL),
            NavItem(_("支給・控除項目"), "payroll:item_list", PAYROLL),
            NavItem(_("支給グループ"), "payroll:group_list", PAYROLL),
            NavItem(_("給与の設定"), "payroll:settings", PAYROLL),
            NavItem(_("給与計算シミュレーター"), "payroll:rules_simulator", PAYROLL_RULES),
        ),
    ),
    NavGroup(
        "affairs",
        _("総務"),
        (
            NavItem(_("備品台帳"), "affairs:equipment_list", ("admin", "affairs", "hr", "accounting")),
            NavItem(_("返却が必要な備品"), "affairs:equipment_leavers", AFFAIRS_HR),
            NavItem(_("固定資産候補"), "affairs:equipment_fixed_assets", ("admin", "affairs", "accounting")),
            NavItem(_("消耗品"), "affairs:consumable_list", AFFAIRS),
            NavItem(_("消耗品の依頼"), "affairs:consumable_requests", AFFAIRS),
            NavItem(_("規程の管理"), "affairs:rule_list", AFFAIRS_HR),
            NavItem(_("規程の既読確認"), "affairs:rule_unacknowledged", AFFAIRS_HR),
            NavItem(_("お知らせの管理"), "affairs:announcement_manage", AFFAIRS_HR),
            NavItem(_("福利厚生制度の管理"), "affairs:benefit_manage", AFFAIRS_HR),
            NavItem(_("福利厚生の利用状況"), "affairs:benefit_report", AFFAIRS_HR),
            NavItem(_("健康診断"), "affairs:health_checkup_list", HEALTH),
            NavItem(_("未受診者"), "affairs:health_unexamined", HEALTH),
            NavItem(_("ストレスチェック"), "affairs:health_stress", HEALTH),
            NavItem(_("長時間労働者"), "affairs:health_long_hours", HEALTH),
            NavItem(_("健康情報の閲覧権限"), "affairs:health_access", ("admin",)),
            NavItem(_("依頼の受付"), "frontdesk:office_request_queue", ("admin", "affairs", "frontdesk")),
            NavItem(_("場所"), "affairs:location_list", ("admin", "affairs", "hr", "accounting")),
            NavItem(_("総務の設定"), "affairs:affairs_settings", AFFAIRS),
        ),
    ),
    NavGroup(
        "frontdesk",
        _("受付"),
        (
            NavItem(_("本日の来訪者"), "frontdesk:visit_board", DESK),
            NavItem(_("来訪記録"), "frontdesk:visit_log", DESK),
            NavItem(_("会議室マスタ"), "frontdesk:room_list", DESK),
            NavItem(_("依頼の種類"), "frontdesk:office_request_types", AFFAIRS),
            NavItem(_("受付の設定"), "frontdesk:visit_settings", ("admin", "frontdesk")),
        ),
    ),
    NavGroup(
        "legal",
        _("法務"),
        (
            NavItem(_("契約一覧"), "legal:contract_list", LEGAL_READ),
            NavItem(_("期限が近い契約"), "legal:contract_upcoming", LEGAL_READ),
            NavItem(_("契約のカレンダー"), "legal:contract_calendar", LEGAL_READ),
            NavItem(_("知的財産"), "legal:ip_list", LEGAL_READ),
            NavItem(_("期限が近い権利"), "legal:ip_upcoming", LEGAL_READ),
            NavItem(_("知的財産の費用"), "legal:ip_costs", LEGAL_READ),
            NavItem(_("リーガルチェック"), "legal:review_list", LEGAL),
            NavItem(_("条項メモ(プレイブック)"), "legal:playbook_list", LEGAL),
            NavItem(_("法律相談・紛争"), "legal:matter_list", LEGAL),
            NavItem(_("登記・機関"), "legal:registry_home", LEGAL_READ),
            NavItem(_("役員"), "legal:officer_list", LEGAL_READ),
            NavItem(_("株主総会・取締役会"), "legal:meeting_list", LEGAL_READ),
        ),
    ),
    NavGroup(
        "requests",
        _("申請"),
        (
            NavItem(_("打刻"), "attendance:punch", PUNCHERS),
            NavItem(_("出勤簿"), "attendance:timesheet", PUNCHERS),
            NavItem(_("休暇申請"), "attendance:leave_list", PUNCHERS),
            NavItem(_("有給休暇"), "attendance:my_paid_leave", PUNCHERS),
            NavItem(_("自分のシフト"), "attendance:my_shifts", PUNCHERS),
            NavItem(_("チームの勤怠"), "attendance:team_day", ("admin", "hr", "manager")),
            NavItem(_("打刻修正申請"), "attendance:correction_list", PUNCHERS),
            NavItem(_("残業申請"), "attendance:overtime_list", PUNCHERS),
            NavItem(_("経費精算"), "expenses:claim_list", EXPENSE_CLAIMERS),
            NavItem(_("給与明細"), "payroll:my_payslips", PUNCHERS),
            NavItem(_("承認待ち"), "approvals:inbox", MEMBERS),
            NavItem(_("私の申請"), "approvals:my_requests", MEMBERS),
            NavItem(_("代理承認"), "approvals:delegation_list", MEMBERS),
            NavItem(_("承認ルート"), "approvals:route_list", APPROVAL_ROUTES),
        ),
    ),
    NavGroup(
        "work_requests",
        _("業務依頼"),
        (
            NavItem(_("依頼する"), "requests:new", MEMBERS),
            NavItem(_("自分の依頼"), "requests:mine", MEMBERS),
            NavItem(_("受信箱"), "requests:inbox", ALL),
            NavItem(_("サービスカタログ"), "requests:catalogue", MEMBERS),
            NavItem(_("定期依頼"), "requests:recurring_list", MEMBERS),
            NavItem(_("工数と費用"), "requests:costs", ("admin", "accounting")),
            NavItem(_("依頼先チーム"), "requests:team_list", ("admin",)),
        ),
    ),
    NavGroup(
        "office",
        _("社内"),
        (
            NavItem(_("通知"), "core:notifications", ALL),
            NavItem(_("お知らせ"), "affairs:announcement_list", MEMBERS),
            NavItem(_("社内行事"), "affairs:event_list", MEMBERS),
            NavItem(_("社内規程"), "affairs:rule_library", MEMBERS),
            NavItem(_("会議室予約"), "frontdesk:room_day", MEMBERS),
            NavItem(_("私の会議室予約"), "frontdesk:booking_mine", MEMBERS),
            NavItem(_("来訪予約"), "frontdesk:visit_mine", MEMBERS),
            NavItem(_("伝言メモ"), "frontdesk:message_list", MEMBERS),
            NavItem(_("総務・一般事務への依頼"), "frontdesk:office_request_mine", MEMBERS),
            NavItem(_("消耗品を依頼する"), "affairs:consumable_request_new", MEMBERS),
            NavItem(_("私の依頼(消耗品)"), "affairs:consumable_my_requests", MEMBERS),
            NavItem(_("私の貸与品"), "affairs:equipment_mine", MEMBERS),
            NavItem(_("福利厚生"), "affairs:benefit_catalogue", MEMBERS),
            NavItem(_("福利厚生の申請"), "affairs:benefit_use_list", MEMBERS),
            NavItem(_("自分の健康診断"), "affairs:health_my_checkups", MEMBERS),
            NavItem(_("契約書(担当の契約)"), "legal:contract_list", MEMBERS),
            NavItem(_("リーガルチェックを依頼"), "legal:review_new", MEMBERS),
            NavItem(_("リーガルチェック(自分の依頼)"), "legal:review_list", MEMBERS),
            NavItem(_("法務に相談する"), "legal:matter_new", MEMBERS),
            NavItem(_("自分の相談"), "legal:matter_mine", MEMBERS),
        ),
    ),
    NavGroup(
        "docs",
        _("文書"),
        (
            NavItem(_("文書"), "documents:home", ALL),
            NavItem(_("文書検索"), "documents:search", ALL),
            NavItem(_("ゴミ箱"), "documents:trash", ALL),
        ),
    ),
    NavGroup(
        "admin",
        _("管理"),
        (
            NavItem(_("会社の設定"), "core:company_settings", ("admin",)),
            NavItem(_("会社の休業日"), "core:closed_days", ("admin",)),
            NavItem(_("ユーザーとロール"), "core:member_list", ("admin",)),
            NavItem(_("監査ログ"), "core:audit_log", ("admin",)),
            NavItem(_("バックアップ"), "core:backups", ("admin",)),
        ),
    ),
)


def visible_groups(membership: Any) -> list[dict[str, Any]]:
    if membership is None:
        return []
    roles = membership.role_set()
    groups = []
    for group in GROUPS:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
            for item in group.items
            if item.roles == ALL or roles & set(item.roles)
        ]
        if items:
            groups.append({"key": group.key, "label": group.label, "items": items})
    return groups


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {
        "nav_groups": visible_groups(membership),
        "active_membership": membership,
        "active_company": getattr(request, "company", None),
        "user_memberships": getattr(request, "memberships", []),
    }
