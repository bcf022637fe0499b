"""Writing 来訪 (visits), one module per part:

- ``registration``: pre-registration by a host (optionally with a meeting room), change, cancel;
- ``desk``: the desk's check-in / check-out / walk-in / no-show;
- ``desk_settings``: the company's 受付の設定;
- ``erasure``: the daily erasure of visitor personal data after the retention period.

Personal data and the audit trail: the trail is append-only and kept for years, so it never holds
the visitor's name, company, phone or e-mail (nor a record label made of them). Events of a visit
name it 「来訪 #id」 and say only that the visitor's details were recorded, changed or erased; the
details themselves live in the visit row alone, and the erase job blanks them there.

Every name is imported from here (``from ennoshita.frontdesk.services import visits``).
"""

from ._common import AUDIT_FIELDS, PERSONAL_FIELDS, PERSONAL_KEY
from ._input import MAX_VISITORS, VisitInput, make_search_key
from .desk import check_in, check_out, mark_no_show, register_walk_in, visit_url
from .desk_settings import SETTINGS_FIELDS, settings_of, update_settings
from .erasure import ERASE_JOB_LABEL, erase_all_companies, erase_expired_visitor_data
from .registration import cancel_visit, register_visit, update_visit

__all__ = [
    "AUDIT_FIELDS",
    "ERASE_JOB_LABEL",
    "MAX_VISITORS",
    "PERSONAL_FIELDS",
    "PERSONAL_KEY",
    "SETTINGS_FIELDS",
    "VisitInput",
    "cancel_visit",
    "check_in",
    "check_out",
    "erase_all_companies",
    "erase_expired_visitor_data",
    "make_search_key",
    "mark_no_show",
    "register_visit",
    "register_walk_in",
    "settings_of",
    "update_settings",
    "update_visit",
    "visit_url",
]
