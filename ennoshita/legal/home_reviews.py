"""Home-page panels of the リーガルチェック part (settings.ENNOSHITA_HOME_PANELS; see ennoshita/home.py):
for 法務 (and 管理者) the reviews waiting for them (overdue first); for the requester their reviews
that 法務 has answered and that are not yet 完了."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ennoshita.core.models import Membership

from . import permissions_reviews as permissions
from .models import LegalReview, ReviewStatus

SHOWN = 5
S = ReviewStatus


def _rows(reviews: list[LegalReview], note: Any) -> list[dict[str, Any]]:
    return [
        {
            "text": f"{r.number} {r.title}",
            "url": reverse("legal:review_detail", args=[r.pk]),
            "note": note(r),
        }
        for r in reviews[:SHOWN]
    ]


def panels(membership: Membership) -> list[dict[str, Any]]:
    if not permissions.can_request(membership):
        return []
    company = membership.company
    today = timezone.localdate()
    out: list[dict[str, Any]] = []
    if permissions.manages_reviews(membership):
        waiting = list(
            LegalReview.objects.for_company(company)
            .filter(status__in=(S.SUBMITTED, S.IN_REVIEW))
            .select_related("reviewer")
            .annotate(
                late=Case(
                    When(desired_on__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
                )
            )
            .order_by("late", "desired_on", "pk")[: SHOWN + 1]
        )
        if waiting:

            def note(r: LegalReview) -> str:
                who = r.reviewer.display_name() if r.reviewer else _("担当者未定")
                late = _("(希望日超過)") if r.desired_on < today else ""
                return _("回答希望日 %(d)s%(l)s・%(w)s") % {
                    "d": r.desired_on.isoformat(),
                    "l": late,
                    "w": who,
                }

            rows = _rows(waiting, note)
            if len(waiting) > SHOWN:
                rows.append({"text": _("対応待ちをすべて見る"), "url": reverse("legal:review_list")})
            out.append(
                {
                    "key": "reviews_waiting",
                    "title": _("リーガルチェックの対応待ち"),
                    "empty": "",
                    "items": rows,
                }
            )
    answered = list(
        LegalReview.objects.for_company(company)
        .filter(requester_id=membership.user_id, status=S.RETURNED)
        .order_by("-returned_at", "-pk")[: SHOWN + 1]
    )
    if answered:
        rows = _rows(answered, lambda r: str(r.get_verdict_display()))
        if len(answered) > SHOWN:
            rows.append(
                {"text": _("回答済みをすべて見る"), "url": reverse("legal:review_list") + "?status=returned"}
            )
        out.append(
            {
                "key": "reviews_returned",
                "title": _("法務から回答があったリーガルチェック"),
                "empty": "",
                "items": rows,
            }
        )
    return out
