"""Search within a folder takes its sub-folders by default; a tag filter folds width and kana.

Service, screen and API. Runs on both databases (DATABASE_URL=postgres://… for PostgreSQL).
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ennoshita.documents import selectors, services
from ennoshita.documents.forms import SearchForm
from ennoshita.documents.search import DocumentQuery, search_documents

from ..apiclient import ApiClient


def _w(m) -> dict:
    return {"company": m.company, "actor": m.user, "membership": m}


def _put(m, folder, name, tags=()):
    d = services.upload_document(**_w(m), folder=folder, name=name, data=name.encode())
    if tags:
        services.set_tags(**_w(m), document=d, names=list(tags))
    return d


def find(m, **kw) -> list[str]:
    qs = search_documents(company=m.company, membership=m, query=DocumentQuery(**kw))
    return [d.name for d in qs]


@pytest.fixture
def tree(company, admin, folder):
    """経理 / 2026年度 / 11月, and 経理 / 2025年度; one document in each, and one in another root."""
    make = services.create_folder
    y2026 = make(**_w(admin), name="2026年度", parent=folder)
    nov = make(**_w(admin), name="11月", parent=y2026)
    y2025 = make(**_w(admin), name="2025年度", parent=folder)
    other = make(**_w(admin), name="総務", parent=None)
    _put(admin, folder, "a_経理直下.txt")
    _put(admin, y2026, "b_2026.txt")
    _put(admin, nov, "c_2026_11.txt")
    _put(admin, y2025, "d_2025.txt")
    _put(admin, other, "e_総務.txt")
    return {"root": folder, "2026": y2026, "nov": nov, "2025": y2025, "other": other}


# ------------------------------------------------------------------------------- folders
def test_descendant_ids_are_the_folder_and_everything_below_it(company, tree):
    ids = selectors.folder_and_descendant_ids(company=company, folder_id=tree["2026"].pk)
    assert ids == [tree["2026"].pk, tree["nov"].pk]
    ids = selectors.folder_and_descendant_ids(company=company, folder_id=tree["root"].pk)
    assert sorted(ids) == sorted(tree[k].pk for k in ("root", "2026", "nov", "2025"))


def test_a_folder_search_includes_sub_folders_unless_told_not_to(admin, tree):
    everything = ["a_経理直下.txt", "b_2026.txt", "c_2026_11.txt", "d_2025.txt"]
    assert find(admin, folder_id=tree["root"].pk) == everything
    assert find(admin, folder_id=tree["root"].pk, include_subfolders=False) == ["a_経理直下.txt"]
    assert find(admin, folder_id=tree["2026"].pk) == ["b_2026.txt", "c_2026_11.txt"]
    assert find(admin, folder_id=tree["2026"].pk, include_subfolders=False) == ["b_2026.txt"]
    assert find(admin, folder_id=tree["nov"].pk) == ["c_2026_11.txt"]
    assert find(admin, folder_id=tree["root"].pk, q="2026") == ["b_2026.txt", "c_2026_11.txt"]


def test_sub_folders_still_answer_to_the_shares(company, admin, hr, tree):
    """hr is given 2026年度 only: searching it finds 11月 below; 経理 itself stays out of reach."""
    services.share(**_w(admin), folder=tree["2026"], grantee_kind="role", grantee="hr")
    assert find(hr, folder_id=tree["2026"].pk) == ["b_2026.txt", "c_2026_11.txt"]
    assert find(hr, folder_id=tree["root"].pk) == ["b_2026.txt", "c_2026_11.txt"]  # (the API refuses this id)
    assert find(hr) == ["b_2026.txt", "c_2026_11.txt"]


def test_the_folder_condition_is_one_query_and_one_in_whatever_the_depth(admin, tree):
    def sql(folder) -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            find(admin, folder_id=folder.pk)
        return [q["sql"] for q in ctx.captured_queries]

    shallow = sql(tree["nov"])
    deep = sql(tree["root"])
    assert len(shallow) == len(deep)
    search = deep[-1]
    ids = sorted(selectors.folder_and_descendant_ids(company=admin.company, folder_id=tree["root"].pk))
    listed = search.split('"folder_id" IN (')[1].split(")")[0]
    assert sorted(int(i) for i in listed.split(", ")) == ids  # computed beforehand, one IN


def test_the_api_folder_filter_takes_sub_folders_by_default(client, admin, tree):
    api = ApiClient(client, admin)

    def names(params):
        r = api.get("/documents/", params)
        assert r.status_code == 200, r.content
        return [d["name"] for d in r.json()["items"]]

    assert names({"folder_id": tree["2026"].pk}) == ["b_2026.txt", "c_2026_11.txt"]
    assert names({"folder_id": tree["2026"].pk, "include_subfolders": "true"}) == [
        "b_2026.txt",
        "c_2026_11.txt",
    ]
    assert names({"folder_id": tree["2026"].pk, "include_subfolders": "false"}) == ["b_2026.txt"]


def test_the_screen_box_is_ticked_by_default_and_can_be_cleared(as_member, admin, tree):
    client = as_member(admin)
    url = reverse("documents:search")
    page = client.get(url).content.decode()
    assert "下位フォルダを含む" in page
    assert 'type="hidden" name="include_subfolders" value="0"' in page
    assert 'name="include_subfolders" value="1" id="id_include_subfolders" checked' in page

    def names(params):
        r = client.get(url, params)
        assert r.status_code == 200
        return [d.name for d in r.context["page_obj"]]

    # ticked: the form sends the hidden 0 and then 1
    assert names({"folder": tree["2026"].pk, "include_subfolders": ["0", "1"]}) == [
        "b_2026.txt",
        "c_2026_11.txt",
    ]
    # cleared: the hidden 0 alone
    r = client.get(url, {"folder": tree["2026"].pk, "include_subfolders": "0"})
    assert [d.name for d in r.context["page_obj"]] == ["b_2026.txt"]
    assert "checked" not in r.content.decode().split('name="include_subfolders" value="1"')[1][:40]
    # a link without the field at all keeps the default
    assert names({"folder": tree["2026"].pk}) == ["b_2026.txt", "c_2026_11.txt"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [({}, True), ({"include_subfolders": "0"}, False), ({"include_subfolders": ["0", "1"]}, True)],
)
def test_the_search_form_reads_the_box(data, expected):
    from django.http import QueryDict

    qd = QueryDict(mutable=True)
    for key, value in data.items():
        qd.setlist(key, value if isinstance(value, list) else [value])
    qd["go"] = "1"
    form = SearchForm(qd)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["include_subfolders"] is expected


# ------------------------------------------------------------------------------- tags
@pytest.fixture
def tagged(company, admin, folder):
    return {
        "katakana": _put(admin, folder, "1_ケイヤクショ.txt", ["ケイヤクショ"]),
        "nda": _put(admin, folder, "2_nda.txt", ["nda"]),
        "kanji": _put(admin, folder, "3_契約.txt", ["契約"]),
        "longer": _put(admin, folder, "4_契約書.txt", ["契約書"]),
        "untagged": _put(admin, folder, "5_なし.txt"),
    }


@pytest.mark.parametrize(
    ("tag", "names"),
    [
        ("ケイヤクショ", ["1_ケイヤクショ.txt"]),
        ("ｹｲﾔｸｼｮ", ["1_ケイヤクショ.txt"]),  # half-width katakana
        ("けいやくしょ", ["1_ケイヤクショ.txt"]),  # hiragana
        ("ＮＤＡ", ["2_nda.txt"]),  # full-width capitals
        ("NDA", ["2_nda.txt"]),
        (" nda ", ["2_nda.txt"]),
        ("契約", ["3_契約.txt"]),  # equal after folding, not a substring: 契約書 is another tag
        ("けいやく", []),  # kana never matches kanji
        ("ケイヤク", []),
        ("存在しない", []),
    ],
)
def test_the_tag_filter_matches_folded_names_exactly(admin, tagged, tag, names):
    assert find(admin, tag=tag) == names


def test_tags_that_fold_alike_are_all_taken_once_each(admin, folder, tagged):
    both = _put(admin, folder, "6_両方.txt", ["NDA", "ｎｄａ"])  # two tags of the company
    assert find(admin, tag="nda") == ["2_nda.txt", both.name]


def test_the_api_and_the_screen_fold_the_tag_too(client, as_member, admin, tagged):
    r = ApiClient(client, admin).get("/documents/", {"tag": "ｹｲﾔｸｼｮ"})
    assert [d["name"] for d in r.json()["items"]] == ["1_ケイヤクショ.txt"]
    screen = as_member(admin)
    r = screen.get(reverse("documents:search"), {"tag": "ＮＤＡ"})
    assert [d.name for d in r.context["page_obj"]] == ["2_nda.txt"]
    # the tag field offers the tags of the documents one may read
    page = r.content.decode()
    assert 'list="tag-choices"' in page and '<option value="ケイヤクショ">' in page


def test_the_tag_choices_leave_out_tags_seen_only_on_unreadable_documents(company, admin, hr, folder):
    shared = services.create_folder(**_w(admin), name="共有", parent=None)
    services.share(**_w(admin), folder=shared, grantee_kind="role", grantee="hr")
    _put(admin, shared, "x.txt", ["公開"])
    _put(admin, folder, "y.txt", ["人事秘"])
    assert selectors.visible_tag_names(company=company, membership=hr) == ["公開"]
    assert selectors.visible_tag_names(company=company, membership=admin) == ["人事秘", "公開"]
