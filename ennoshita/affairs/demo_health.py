"""The demo company's 健康診断, made through the services: 人事 granted health access; two night
workers (特定業務, every 6 months) and one posting abroad; the plans of last fiscal year (had by
nearly everyone, three left overdue) and of this one (some had, some booked, the rest open — overdue
once the checkup month has passed); one with findings whose doctor's opinion is still pending; a
stress-check round; last month's long-hours list from the attendance demo. Loaded by ``manage.py
demo`` through ``ENNOSHITA_DEMO_EXTRAS`` (after the attendance demo).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from ennoshita.core.models import Company, Membership

from .models import Checkup, CheckupStatus, StressCheck
from .rules import health as rules
from .selectors import health as selectors
from .services import health as services
from .services import health_more as more

CLINICS = ("丸の内健診クリニック", "新宿ヘルスケアセンター", "品川メディカルプラザ")
NORMAL = "総合判定 A(異常なし)。血圧 118/76、BMI 22.4。"
FINDINGS = (
    "総合判定 C(要再検査)。肝機能 GPT 58 U/L、γ-GTP 96 U/L。血中脂質 LDL 168 mg/dL。",
    "総合判定 D(要精密検査)。血圧 162/102。心電図 軽度の異常。",
)


def _member(company: Company, username: str) -> Membership | None:
    return (
        Membership.objects.for_company(company).select_related("user").filter(user__username=username).first()
    )


def build_demo_health(company: Company, *, today: date | None = None) -> None:
    if Checkup.objects.for_company(company).exists():
        return
    today = today or timezone.localdate()
    admin = _member(company, "admin")
    if admin is None:
        return
    hr = _member(company, "hr") or admin
    if not hr.has_any_role(*services.HEALTH_ACCESS_ROLES):
        hr = admin
    services.grant_health_access(company=company, actor=admin.user, membership=admin, grantee=hr)
    employees = [e for e, _label in selectors.employee_choices(company=company, today=today)]
    if not employees:
        return
    for employee_id in employees[3:5]:
        services.set_health_profile(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=employee_id,
            specific_work=True,
            specific_work_kind="深夜業(夜間の物流センター勤務)",
        )
    if len(employees) > 8:
        services.set_health_profile(
            company=company,
            actor=hr.user,
            membership=hr,
            employee_id=employees[8],
            specific_work=False,
            overseas_from=today + timedelta(days=40),
            overseas_until=rules.add_months(today + timedelta(days=40), 12),
        )
    current = selectors.current_fiscal_year(company, today)
    _last_year(company, hr, current - 1, today)
    _this_year(company, hr, current, today)
    _stress_round(company, hr, current, today)
    last_month = rules.add_months(today.replace(day=1), -1)
    more.build_long_hours_cases(company=company, actor=hr.user, membership=hr, month=last_month)


def _record(
    company: Company, hr: Membership, checkup: Checkup, examined: date, text: str, findings: bool
) -> None:
    services.book_checkup(
        company=company,
        actor=hr.user,
        membership=hr,
        checkup=checkup,
        clinic=CLINICS[checkup.pk % len(CLINICS)],
        booked_for=examined,
    )
    services.record_checkup_result(
        company=company,
        actor=hr.user,
        membership=hr,
        checkup=checkup,
        examined_on=examined,
        has_findings=findings,
        doctor_instructed=findings,
        result=text,
    )
    services.mark_result_notified(
        company=company,
        actor=hr.user,
        membership=hr,
        checkup=checkup,
        notified_on=min(examined + timedelta(days=14), timezone.localdate()),
    )


def _last_year(company: Company, hr: Membership, year: int, today: date) -> None:
    services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=year)
    rows = list(Checkup.objects.for_company(company).filter(fiscal_year=year).order_by("due_on", "pk"))
    for i, c in enumerate(rows):
        if i % 17 == 5:
            continue  # left overdue
        examined = min(c.due_on - timedelta(days=7 + i % 20), today - timedelta(days=1))
        findings = i % 6 == 1
        _record(company, hr, c, examined, FINDINGS[i % 2] if findings else NORMAL, findings)
        if findings:
            services.record_doctor_opinion(
                company=company,
                actor=hr.user,
                membership=hr,
                checkup=c,
                opinion_on=min(examined + timedelta(days=30), today),
                opinion="通常勤務可。3か月後に再検査を受けること。",
                measures="時間外労働を月20時間以内とする。" if i % 4 == 1 else "",
            )


def _this_year(company: Company, hr: Membership, year: int, today: date) -> None:
    services.plan_checkups(company=company, actor=hr.user, membership=hr, fiscal_year=year)
    rows = list(Checkup.objects.for_company(company).filter(fiscal_year=year).order_by("due_on", "pk"))
    pending_opinion = False
    for i, c in enumerate(rows):
        if c.due_on - timedelta(days=10) < today and i % 5 in (0, 1, 2):
            examined = max(c.due_on - timedelta(days=10 + i % 15), today - timedelta(days=60))
            examined = min(examined, today - timedelta(days=1))
            findings = not pending_opinion or i % 9 == 4
            _record(company, hr, c, examined, FINDINGS[i % 2] if findings else NORMAL, findings)
            pending_opinion = True  # the first one with findings waits for the doctor's opinion
        elif i % 5 == 3 and c.status == CheckupStatus.PLANNED:
            services.book_checkup(
                company=company,
                actor=hr.user,
                membership=hr,
                checkup=c,
                clinic=CLINICS[i % len(CLINICS)],
                booked_for=max(today + timedelta(days=3 + i % 20), c.due_on - timedelta(days=5)),
            )


def _stress_round(company: Company, hr: Membership, year: int, today: date) -> None:
    more.invite_stress_checks(company=company, actor=hr.user, membership=hr, fiscal_year=year, as_of=today)
    checks = list(StressCheck.objects.for_company(company).filter(fiscal_year=year).order_by("pk"))
    for i, s in enumerate(checks):
        if i % 10 in (7, 8):
            continue  # 未受検
        if i % 10 == 9:
            more.record_stress_participation(
                company=company, actor=hr.user, membership=hr, check=s, status="declined"
            )
            continue
        taken = today - timedelta(days=30)
        more.record_stress_participation(
            company=company, actor=hr.user, membership=hr, check=s, status="taken", taken_on=taken
        )
        more.record_stress_notice(
            company=company, actor=hr.user, membership=hr, check=s, notified_on=taken + timedelta(days=10)
        )
        if i % 10 == 2:
            more.record_stress_consent(
                company=company, actor=hr.user, membership=hr, check=s, consent_on=taken + timedelta(days=12)
            )
        if i == 2:
            more.record_stress_interview(
                company=company,
                actor=hr.user,
                membership=hr,
                check=s,
                requested_on=taken + timedelta(days=12),
            )
