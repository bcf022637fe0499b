"""Reads of 給与明細 kept as documents (services/payslip_documents.py): the filed PDF of a payslip,
and the filed document for those who may open it in 文書."""

from __future__ import annotations

from ennoshita.core.errors import NotFound
from ennoshita.core.models import Company, Membership
from ennoshita.documents import selectors as document_selectors
from ennoshita.documents.models import Document
from ennoshita.documents.storage import open_blob
from ennoshita.payroll.models import Payslip

FILED_VERSION = 1  # what was filed when the run was confirmed: later versions are not what was received


def filed_pdf(*, company: Company, payslip: Payslip) -> bytes | None:
    """The bytes filed for this payslip (its document's first version), or None when it has not
    been filed (yet) or the file is gone. The caller has checked who may open the payslip (the
    folder in 文書 is 経理's: the employee reaches their own PDF only through 給与明細)."""
    if payslip.document_id is None or payslip.company_id != company.pk:
        return None
    document = Document.objects.filter(company=company, pk=payslip.document_id).first()
    if document is None:
        return None
    try:
        version = document_selectors.get_version(document=document, number=FILED_VERSION)
        return open_blob(version.sha256)
    except (NotFound, OSError):
        return None


def visible_document_id(*, company: Company, membership: Membership, payslip: Payslip) -> int | None:
    """The filed document's id when this member may open it in 文書 (its folder's rules), else None."""
    if payslip.document_id is None:
        return None
    try:
        document = document_selectors.get_document(
            company=company, membership=membership, document_id=payslip.document_id
        )
    except NotFound:
        return None
    return document.pk
