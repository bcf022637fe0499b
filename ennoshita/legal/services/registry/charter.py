"""The 定款 settings that fix officers' terms (会社法332条・336条) and the AGM's timing."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from ennoshita.core.audit import record_change, snapshot
from ennoshita.core.models import Company, Membership, User
from ennoshita.legal.models import CharterSettings
from ennoshita.legal.permissions_registry import require_manager
from ennoshita.legal.rules import registry as rules

from .base import CHARTER_FIELDS, fail


def _check(
    *, is_public_company: bool, has_board: bool, director_term_years: int, auditor_term_years: int, agm: int
) -> None:
    errors: dict[str, list[str]] = {}
    d_max = rules.max_term_years(position="director", is_public_company=is_public_company)
    a_max = rules.max_term_years(position="auditor", is_public_company=is_public_company)
    if not 1 <= director_term_years <= d_max:
        errors["director_term_years"] = [
            _("公開会社の取締役の任期は2年までです(会社法332条1項)。")
            if is_public_company and director_term_years > d_max
            else _("取締役の任期は1〜%(n)s年で入力してください(会社法332条)。") % {"n": d_max}
        ]
    if not rules.min_term_years(position="auditor") <= auditor_term_years <= a_max:
        errors["auditor_term_years"] = [
            _("公開会社の監査役の任期は4年です(会社法336条1項)。伸長できるのは公開会社でない会社だけです。")
            if is_public_company
            else _("監査役の任期は4〜10年で入力してください(短縮はできません。会社法336条1項・2項)。")
        ]
    if is_public_company and not has_board:
        errors["has_board"] = [_("公開会社は取締役会を置かなければなりません(会社法327条1項1号)。")]
    if not 1 <= agm <= 6:
        errors["agm_months_after_year_end"] = [
            _("定時株主総会の時期は期末から1〜6か月後で入力してください。")
        ]
    fail(errors)


@transaction.atomic
def save_charter_settings(
    *,
    company: Company,
    actor: User,
    membership: Membership,
    is_public_company: bool,
    has_board: bool,
    director_term_years: int,
    auditor_term_years: int,
    agm_months_after_year_end: int,
) -> CharterSettings:
    """Create or change the company's 定款 settings. The terms of officers already in office keep the
    end computed when they took office (a 定款 change that lengthens terms is recorded with a 重任
    or by appointing again)."""
    require_manager(membership)
    _check(
        is_public_company=is_public_company,
        has_board=has_board,
        director_term_years=director_term_years,
        auditor_term_years=auditor_term_years,
        agm=agm_months_after_year_end,
    )
    charter = CharterSettings.objects.for_company(company).select_for_update().first()
    before = snapshot(charter, CHARTER_FIELDS) if charter is not None else None
    if charter is None:
        charter = CharterSettings(company=company, updated_by=actor)
    charter.is_public_company = is_public_company
    charter.has_board = has_board
    charter.director_term_years = director_term_years
    charter.auditor_term_years = auditor_term_years
    charter.agm_months_after_year_end = agm_months_after_year_end
    charter.updated_by = actor
    charter.save()
    record_change(company=company, actor=actor, instance=charter, fields=CHARTER_FIELDS, before=before)
    return charter
