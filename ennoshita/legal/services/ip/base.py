"""知的財産's writes: the input shape, the status table, the audited fields, and what every write
shares (errors, the row lock, the deadlines computed by ``legal.rules.ip``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.models import Company
from ennoshita.core.text import nfkc
from ennoshita.legal.models import IpKind, IpRight, IpStatus
from ennoshita.legal.rules import ip as rules

S = IpStatus
K = IpKind
NOTIFY_KIND = "legal.ip"
NUMBER_TYPE = "legal.ip"  # core.numbering's document type: IP-<年度>-0001
JOB_LABEL = "知的財産の期限管理(自動)"
MAX_CLASS = 45  # ニース分類: 第1類〜第45類

# the moves a person may make; 消滅 after a missed deadline is also the daily job's
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.APPLIED: (S.REGISTERED, S.ABANDONED),
    S.REGISTERED: (S.LAPSED, S.ABANDONED),
    S.LAPSED: (S.REGISTERED,),  # 回復 (特許法112条の2, 商標法21条 etc.)
    S.ABANDONED: (),
}
# the moves that need a reason
NEEDS_REASON = (S.LAPSED, S.ABANDONED)
ALIVE = (S.APPLIED, S.REGISTERED)

RIGHT_FIELDS = (
    "reference",
    "kind",
    "title",
    "country",
    "application_number",
    "registration_number",
    "classes",
    "class_count",
    "filed_on",
    "registered_on",
    "installment",
    "paid_through_year",
    "copyright_basis",
    "basis_year",
    "expires_on",
    "next_deadline_on",
    "next_deadline_kind",
    "status",
    "owner_department",
    "owner",
    "agent",
    "note",
)
STATE_FIELDS = (
    "status",
    "registered_on",
    "registration_number",
    "expires_on",
    "installment",
    "paid_through_year",
    "next_deadline_on",
    "next_deadline_kind",
)
COST_FIELDS = ("right", "paid_on", "kind", "amount", "memo")


@dataclass(frozen=True)
class IpInput:
    """A right as typed. ``renewals``: how many times a trademark was renewed already (its
    ``expires_on`` is moved 10 years for each; None keeps what is stored). ``expires_on`` is read only for a domain name and
    for a right outside Japan; everywhere else it is computed (jp-rules §16)."""

    kind: str
    title: str
    country: str = "JP"
    application_number: str = ""
    registration_number: str = ""
    classes: str = ""
    filed_on: date | None = None
    registered_on: date | None = None
    installment: bool = False
    paid_through_year: int | None = None
    copyright_basis: str = ""
    basis_year: int | None = None
    expires_on: date | None = None
    renewals: int | None = None  # None: as stored (0 for a new right)
    status: str = S.APPLIED
    owner_department_id: int | None = None
    owner_id: int | None = None
    agent: str = ""
    note: str = ""


def fail(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ServiceError(_("入力内容に誤りがあります。"), code="validation", field_errors=errors)


def refuse(field: str, message: str, code: str = "validation") -> ServiceError:
    return ServiceError(message, code=code, field_errors={field: [message]})


def locked(company: Company, right: IpRight) -> IpRight:
    found = IpRight.objects.for_company(company).select_for_update(of=("self",)).filter(pk=right.pk).first()
    if found is None:
        raise NotFound()
    return found


def text(value: str, *, keep_lines: bool = False) -> str:
    if keep_lines:
        return (value or "").strip()
    return " ".join(nfkc(value or "").split())


def parse_classes(value: str) -> tuple[str, int, str]:
    """ "9, 35, 42" / 「第9類、第35類」 → ("9, 35, 42", 3, "") or ("", 0, error)."""
    raw = nfkc(value or "")
    numbers = [int(n) for n in re.findall(r"\d+", raw)]
    leftover = re.sub(r"[\d\s,、，・/第類]+", "", raw)
    if leftover:
        return "", 0, _("区分は「9, 35, 42」のように番号をカンマで区切って入力してください。")
    bad = [n for n in numbers if not 1 <= n <= MAX_CLASS]
    if bad:
        return "", 0, _("区分は第1類〜第45類です(%(n)s は使えません)。") % {"n": bad[0]}
    distinct = sorted(set(numbers))
    return ", ".join(str(n) for n in distinct), len(distinct), ""


def uses_jp_rules(kind: str, country: str) -> bool:
    """The §16 terms apply to Japanese 産業財産権 and to 著作権 (protected in Japan whatever the
    work's origin); a foreign registration's expiry is entered."""
    return kind in (K.COPYRIGHT, K.DOMAIN) or country == "JP"


def first_expiry(right: IpRight) -> date | None:
    return rules.ip_expiry(
        kind=right.kind,
        filed_on=right.filed_on,
        registered_on=right.registered_on,
        copyright_basis=right.copyright_basis,
        basis_year=right.basis_year,
    )


def renewals_of(right: IpRight) -> int:
    """How many 10-year renewals a Japanese trademark's ``expires_on`` holds."""
    first = first_expiry(right)
    if right.kind != K.TRADEMARK or first is None or right.expires_on is None:
        return 0
    return max(0, round((right.expires_on - first).days / 3652.5))


def deadlines_of(right: IpRight, today: date | None = None) -> list[rules.Deadline]:
    """The deadlines of ``right`` (§16) as it stands; none unless it is 存続中."""
    if right.status != S.REGISTERED:
        return []
    if not uses_jp_rules(right.kind, right.country):
        return (
            [rules.Deadline(rules.EXPIRY, due_on=right.expires_on, action=False)] if right.expires_on else []
        )
    return rules.ip_deadlines(
        kind=right.kind,
        registered_on=right.registered_on,
        expires_on=right.expires_on,
        installment=right.installment,
        paid_through_year=right.paid_through_year,
        today=today,
    )


def set_next_deadline(right: IpRight, today: date) -> None:
    nxt = next((d for d in deadlines_of(right, today) if d.state(today) != "passed"), None)
    right.next_deadline_on = nxt.due_on if nxt else None
    right.next_deadline_kind = nxt.key if nxt else ""


def missed_message(d: rules.Deadline, right: IpRight) -> tuple[str, str]:
    """(field, message) telling the user what to record when a deadline of a right registered as
    存続中 has passed, its late period included."""
    day = d.last_day.isoformat()
    if d.kind == rules.TM_RENEWAL:
        return "renewals", _(
            "更新登録申請の期間(割増での申請を含む)は %(d)s に終わっています。更新済みなら「更新の回数」を入力し、"
            "更新していなければ状態を「消滅」にして登録してください。"
        ) % {"d": day}
    if d.kind == rules.TM_SECOND_HALF:
        return "installment", _(
            "後期分割登録料の納付期限(割増での納付を含む)は %(d)s に終わっています。納付済みなら「分割納付」の"
            "チェックを外し、納付していなければ状態を「消滅」にして登録してください。"
        ) % {"d": day}
    if d.kind == rules.ANNUITY:
        return "paid_through_year", _(
            "第%(n)s年分の年金の追納期限は %(d)s に終わっています。納付済みなら「納付済みの年分」を入力し、"
            "納付していなければ状態を「消滅」にして登録してください。"
        ) % {"n": d.fee_year, "d": day}
    field = (
        "expires_on" if right.kind == K.DOMAIN or not uses_jp_rules(right.kind, right.country) else "status"
    )
    return field, _(
        "存続期間(有効期限)は %(d)s に満了しています。更新済みなら新しい満了日を、そうでなければ状態を「消滅」にして"
        "登録してください。"
    ) % {"d": day}
