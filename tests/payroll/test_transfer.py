"""The 全銀 給与振込 file of a confirmed run, read back byte by byte at the positions of jp-rules §8
(header 1, data 2, trailer 8, end 9; 120 bytes each in CP932, CR LF after each); the preview and
the download, on the screen and through the API."""

from __future__ import annotations

import pytest

from ennoshita.core.errors import ServiceError
from ennoshita.documents.models import Document
from ennoshita.documents.storage import open_blob
from ennoshita.payroll import transfer
from ennoshita.payroll.models import Payslip
from ennoshita.payroll.selectors import confirm as selectors
from ennoshita.payroll.services.confirm import confirm_run

from ..apiclient import ApiClient
from ..conftest import login
from .confirm_builders import SPLIT, add_slip, finish, make_org, make_run, person
from .factories import settings_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(company, admin, hr):
    return make_org(company, admin, hr)


def field(record: bytes, start: int, length: int) -> str:
    """§8 positions are 1-based, in bytes."""
    return record[start - 1 : start - 1 + length].decode("cp932")


def records_of(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(r) == 120 for r in lines), [len(r) for r in lines]
    return lines


def paid_run(org, kind="salary"):
    """1001 (digits) all to みずほ; E002 with 50,000 to a second account; 3001 paid by hand.
    Nets: 1001 246,820; E002 246,820 = 196,820 + 50,000; 3001 246,820 (not in the file)."""
    run = make_run(org, kind=kind)
    add_slip(
        run,
        person(org, org.sales, "1001", family_name_kana="ヤマダ", given_name_kana="タロウ"),
        department=org.sales,
    )
    add_slip(run, person(org, org.sales, "E002"), department=org.sales, split=50_000)
    add_slip(run, person(org, org.office, "3001"), department=org.office, bank=None)
    return finish(run)


def confirmed(org, run):
    return confirm_run(company=org.company, actor=org.accountant.user, membership=org.accountant, run=run)


def test_the_file_reads_back_field_by_field(org):
    run = confirmed(org, paid_run(org))
    name, data = selectors.transfer_file(company=org.company, membership=org.accountant, run=run)
    assert name == f"kyuyo_{run.pay_date:%Y%m%d}-{run.pk}.txt"
    document = Document.objects.get(pk=run.transfer_document_id)
    assert open_blob(document.current_version.sha256) == data  # what is downloaded is what was filed
    assert len(data.decode("cp932")) == len(data) == 6 * 122  # one byte a character
    header, first, second, third, trailer, end = records_of(data)

    assert field(header, 1, 1) == "1"  # データ区分
    assert field(header, 2, 2) == "11"  # 給与振込
    assert field(header, 4, 1) == "0"  # コード区分 JIS
    assert field(header, 5, 10) == "1234567890"  # 振込依頼人コード
    assert field(header, 15, 40) == "ｶ)ﾃｽﾄ".ljust(40)  # カブシキガイシャ テスト
    assert field(header, 55, 4) == f"{run.pay_date:%m%d}"  # 振込指定日 = the pay date
    assert field(header, 59, 4) == "0009"
    assert field(header, 63, 15) == "ﾐﾂｲｽﾐﾄﾓ".ljust(15)
    assert field(header, 78, 3) == "001"
    assert field(header, 81, 15) == "ｼﾞﾝﾎﾞｳﾁﾖｳ".ljust(15)
    assert field(header, 96, 1) == "1"
    assert field(header, 97, 7) == "0012345"
    assert field(header, 104, 17) == " " * 17

    def data_record(record, bank, bank_name, branch, branch_name, kind, number, holder, amount, employee):
        assert field(record, 1, 1) == "2"
        assert field(record, 2, 4) == bank
        assert field(record, 6, 15) == bank_name.ljust(15)
        assert field(record, 21, 3) == branch
        assert field(record, 24, 15) == branch_name.ljust(15)
        assert field(record, 39, 4) == "0000"  # 手形交換所番号
        assert field(record, 43, 1) == kind
        assert field(record, 44, 7) == number
        assert field(record, 51, 30) == holder.ljust(30)
        assert field(record, 81, 10) == f"{amount:010d}"
        assert field(record, 91, 1) == "0"  # 新規コード
        assert field(record, 92, 10) == employee  # 社員番号
        assert field(record, 102, 10) == "0000000000"  # 所属コード
        assert field(record, 112, 9) == " " * 9

    data_record(first, "0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", "1", "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 246_820, "0000001001")
    data_record(second, "0001", "ﾐｽﾞﾎ", "001", "ﾄｳｷﾖｳ", "1", "1234567", "ﾔﾏﾀﾞ ﾀﾛｳ", 196_820, "0000000000")
    data_record(
        third,
        "0005",
        "ﾐﾂﾋﾞｼﾕ-ｴﾌｼﾞｴｲ",
        "002",
        "ﾏﾙﾉｳﾁ",
        "4",
        SPLIT["account_number"],
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        50_000,
        "0000000000",
    )

    assert field(trailer, 1, 1) == "8"
    assert field(trailer, 2, 6) == "000003"
    assert field(trailer, 8, 12) == f"{493_640:012d}"  # 246,820 + 196,820 + 50,000
    assert field(trailer, 20, 101) == " " * 101
    assert field(end, 1, 1) == "9" and field(end, 2, 119) == " " * 119
    # the trailer's total is the net pay paid by transfer
    by_transfer = sum(int(p.net) for p in Payslip.objects.filter(run=run) if p.bank.get("main"))
    assert int(field(trailer, 8, 12)) == by_transfer == 493_640


def test_a_bonus_run_is_kind_12(org):
    run = confirmed(org, paid_run(org, kind="bonus"))
    _name, data = selectors.transfer_file(company=org.company, membership=org.accountant, run=run)
    assert field(records_of(data)[0], 2, 2) == "12"
    assert _name.startswith(f"shoyo_{run.pay_date:%Y%m%d}")


def test_missing_requester_or_account_is_refused_clearly(org):
    run = paid_run(org)
    settings_of(org.company, transfer_requester_code="", transfer_bank_code="")
    transfers = transfer.transfers_of(Payslip.objects.filter(run=run).order_by("employee_number"))
    row = selectors.settings_row(org.company)
    with pytest.raises(ServiceError) as caught:
        transfer.build_file(settings_row=row, run=run, transfers=transfers)
    assert caught.value.field_errors == {
        "settings": [
            "給与の設定で振込依頼人と振込元の口座を登録してください(未登録: 振込依頼人コード、振込元 銀行コード)。"
        ]
    }


def test_an_amount_without_an_account_is_refused(org):
    run = paid_run(org)
    Payslip.objects.filter(run=run, employee_number="3001").update(transfer_amount=1000)
    with pytest.raises(
        ValueError, match="3001 山田 3001: 本人の口座 への振込額 1,000円 がありますが、口座がありません"
    ):
        transfer.transfers_of(Payslip.objects.filter(run=run).order_by("employee_number"))


def test_employee_numbers_that_are_not_digits_leave_the_field_zero():
    assert transfer.employee_number_field("1001") == "1001"
    assert transfer.employee_number_field("0123456789") == "0123456789"
    assert transfer.employee_number_field("12345678901") == "0"  # N(10)
    assert transfer.employee_number_field("E002") == "0"


# ------------------------------------------------------------------------------ screens and API
def test_the_preview_lists_every_transfer_with_totals(client, org):
    run = paid_run(org)
    login(client, org.hr)  # 人事 sees the preview of a draft
    page = client.get(f"/payroll/runs/{run.pk}/transfer/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "みずほ" in text and "東京営業部" in text and "三菱ＵＦＪ" in text and "丸の内" in text
    assert "493,640" in text and "740,460" in text and "246,820" in text  # transfers, net, by hand
    assert "ﾔﾏﾀﾞ ﾀﾛｳ" in text and 'id="download"' not in text  # a draft: no file yet
    assert "E002" in text and "社員番号欄を0にします" in text


def test_the_file_downloads_only_for_a_confirmed_run(client, org):
    run = paid_run(org)
    login(client, org.accountant)
    draft = client.get(f"/payroll/runs/{run.pk}/transfer/file/")
    assert draft.status_code == 302 and draft["Location"] == f"/payroll/runs/{run.pk}/transfer/"
    confirmed(org, run)
    page = client.get(f"/payroll/runs/{run.pk}/transfer/")
    assert 'id="download"' in page.content.decode()
    response = client.get(f"/payroll/runs/{run.pk}/transfer/file/")
    assert response.status_code == 200
    assert f'filename="kyuyo_{run.pay_date:%Y%m%d}-{run.pk}.txt"' in response["Content-Disposition"]
    assert len(records_of(response.content)) == 6
    login(client, org.hr)  # 人事 may look, but the file is 経理's
    assert client.get(f"/payroll/runs/{run.pk}/transfer/file/").status_code == 403


def test_the_api_preview_and_file(client, org, other_company, outsider):
    run = paid_run(org)
    api = ApiClient(client, org.accountant)
    body = api.get(f"/payroll/runs/{run.pk}/transfer").json()
    assert (body["kind_code"], body["count"], body["total"], body["by_hand"]) == ("11", 3, 493_640, 246_820)
    assert body["downloadable"] is False and body["problems"] == []
    assert [(t["employee_number"], t["account"], t["amount"]) for t in body["transfers"]] == [
        ("1001", "main", 246_820),
        ("E002", "main", 196_820),
        ("E002", "split", 50_000),
    ]
    assert (
        body["transfers"][2]["bank_name"] == "三菱ＵＦＪ" and body["transfers"][2]["holder_kana"] == "ﾔﾏﾀﾞ ﾀﾛｳ"
    )
    assert api.get(f"/payroll/runs/{run.pk}/transfer-file").status_code == 400  # a draft
    confirmed(org, run)
    response = api.get(f"/payroll/runs/{run.pk}/transfer-file")
    assert response.status_code == 200 and len(records_of(response.content)) == 6
    assert ApiClient(client, outsider).get(f"/payroll/runs/{run.pk}/transfer").status_code == 404
