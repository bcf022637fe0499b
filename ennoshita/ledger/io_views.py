"""The screens of 仕訳CSV取込 (``ledger:import``) and 仕訳・帳簿の出力 (``ledger:export``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ennoshita.core import selectors as core_selectors
from ennoshita.core.csvio import SJIS, UnencodableError
from ennoshita.core.dates import fiscal_year_of
from ennoshita.core.errors import NotFound, ServiceError
from ennoshita.core.forms import apply_service_error
from ennoshita.core.web import role_required

from . import importing, interchange
from .permissions import READ_ROLES, WRITE_ROLES

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
LAYOUT_CHOICES = [(k, v) for k, v in interchange.LAYOUT_LABELS.items()]
BEANCOUNT = "beancount"


class JournalImportForm(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("形式"), choices=LAYOUT_CHOICES, initial=interchange.LAYOUT_YAYOI
    )
    file = forms.FileField(
        label=gettext_lazy("CSVファイル"),
        help_text=gettext_lazy("Shift_JIS または UTF-8(BOM付き・なし)。20MBまで。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )


class JournalExportForm(forms.Form):
    layout = forms.ChoiceField(
        label=gettext_lazy("形式"),
        choices=[*LAYOUT_CHOICES, (BEANCOUNT, gettext_lazy("beancount(帳簿全体)"))],
        initial=interchange.LAYOUT_YAYOI,
    )
    start = forms.DateField(label=gettext_lazy("開始日"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("終了日"), widget=forms.DateInput(attrs={"type": "date"}))
    encoding = forms.ChoiceField(
        label=gettext_lazy("文字コード"),
        choices=[
            ("", gettext_lazy("形式の既定(弥生: Shift_JIS、汎用: UTF-8 BOM付き)")),
            ("sjis", "Shift_JIS"),
            ("utf8", gettext_lazy("UTF-8(BOM付き)")),
        ],
        required=False,
    )
    replace = forms.BooleanField(
        label=gettext_lazy("Shift_JIS で表せない文字を「〓」に置き換える"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("終了日は開始日より後にしてください。"))
        return data


def _ctx(request: HttpRequest) -> dict[str, Any]:
    return {"company": request.company, "membership": request.membership}  # type: ignore[attr-defined]


@role_required(*WRITE_ROLES)
def journal_import(request: HttpRequest) -> HttpResponse:
    form = JournalImportForm(request.POST or None, request.FILES or None)
    result = None
    job = None
    if request.GET.get("job", "").isdigit():
        try:
            job = core_selectors.get_job(**_ctx(request), job_id=int(request.GET["job"]))
        except NotFound:
            job = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        layout = form.cleaned_data["layout"]
        if upload.size > MAX_UPLOAD_BYTES:
            form.add_error("file", _("ファイルが大きすぎます(20MBまで)。"))
        else:
            data = upload.read()
            try:
                result = importing.check_journal(**_ctx(request), data=data, layout=layout)
                if result.ok and request.POST.get("action") == "import":
                    started = importing.start_import(
                        **_ctx(request),
                        actor=request.user,  # type: ignore[arg-type]
                        data=data,
                        layout=layout,
                        filename=upload.name,
                    )
                    return redirect(f"{reverse('ledger:import')}?job={started.pk}")
            except ServiceError as exc:
                apply_service_error(form, exc)
    status = 400 if form.errors or (result is not None and result.errors) else 200
    context = {
        "form": form,
        "result": result,
        "job": job,
        "yayoi_columns": interchange.YAYOI_COLUMNS,
        "generic_columns": importing.GENERIC_HEADERS,
    }
    return render(request, "ledger/io/import.html", context, status=status)


@role_required(*READ_ROLES)
def journal_export(request: HttpRequest) -> HttpResponse:
    company = request.company  # type: ignore[attr-defined]
    if "layout" not in request.GET:
        fy = fiscal_year_of(timezone.localdate(), start_month=company.fiscal_year_start_month)
        form = JournalExportForm(
            initial={"start": fy.start, "end": fy.end, "layout": interchange.LAYOUT_YAYOI}
        )
        return render(request, "ledger/io/export.html", {"form": form})
    form = JournalExportForm(request.GET)
    if not form.is_valid():
        return render(request, "ledger/io/export.html", {"form": form}, status=400)
    data = form.cleaned_data
    layout = data["layout"]
    stamp = f"{data['start']:%Y%m%d}-{data['end']:%Y%m%d}"
    if layout == BEANCOUNT:
        text = interchange.export_beancount(**_ctx(request))
        response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="books-{company.pk}.beancount"'
        return response
    encoding = {"sjis": SJIS, "utf8": "utf-8-sig"}.get(data.get("encoding") or "")
    try:
        body = interchange.export_journal(
            **_ctx(request),
            layout=layout,
            start=data["start"],
            end=data["end"],
            encoding=encoding,
            replace=data.get("replace", False),
        )
    except UnencodableError as exc:
        context = {"form": form, "error": exc, "problems": exc.problems[:100]}
        return render(request, "ledger/io/export.html", context, status=400)
    sjis = (encoding or (SJIS if layout == interchange.LAYOUT_YAYOI else "utf-8-sig")) == SJIS
    response = HttpResponse(body, content_type=f"text/csv; charset={'shift_jis' if sjis else 'utf-8'}")
    response["Content-Disposition"] = f'attachment; filename="journal-{layout}-{stamp}.csv"'
    return response
