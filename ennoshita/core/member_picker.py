"""担当者・宛先の選択: a search-as-you-type field for one of the company's members.

A ``<select>`` of every member costs a page of a 2,000-person company over 100 ms to build and is
hard to use. This field renders a hidden input carrying the user id and a text box that asks
``core:member_search`` for at most ``SEARCH_LIMIT`` names while the person types (``ennoshita.js``
fills a ``<datalist>`` and sets the id when a suggestion is chosen). Without script, or when a test
posts only the text, the typed name is resolved on the server: an exact suggestion label or a
single match is taken, anything else is a clear error on the field.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Company, User
from .selectors import MEMBER_SEARCH_LIMIT as SEARCH_LIMIT
from .selectors import active_members, search_members

TEXT_SUFFIX = "_text"


def label_of(user: User) -> str:
    """The suggestion shown and matched: the name, with the login name to tell namesakes apart."""
    name = user.display_name()
    return f"{name}({user.username})" if name != user.username else name


class MemberPicker(forms.Widget):
    """A hidden id plus a text box with suggestions (see the module docstring)."""

    template_name = "core/widgets/member_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.company: Company | None = None

    def value_from_datadict(self, data: Any, files: Any, name: str) -> tuple[str, str]:
        return (str(data.get(name, "") or "").strip(), str(data.get(name + TEXT_SUFFIX, "") or "").strip())

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return name not in data and name + TEXT_SUFFIX not in data

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        user_id, text = self._split(value)
        if user_id and not text and self.company is not None:
            user = active_members(company=self.company).filter(pk=user_id).first()
            text = label_of(user) if user else ""
        context["widget"].update(
            {
                "id_value": user_id,
                "text_name": name + TEXT_SUFFIX,
                "text_value": text,
                "search_url": reverse("core:member_search"),
            }
        )
        return context

    @staticmethod
    def _split(value: Any) -> tuple[str, str]:
        if isinstance(value, tuple | list):
            return str(value[0] or ""), str(value[1] or "")
        if isinstance(value, User):
            return str(value.pk), label_of(value)
        return ("" if value in (None, "") else str(value)), ""


class MemberField(forms.Field):
    """One active member of ``company`` (set by the form before validation); cleans to the user id.

    ``empty_label`` is the hint in the empty text box (「すべて」 in a filter, 「(自分)」 …).
    """

    widget = MemberPicker
    default_error_messages = {
        "not_found": _(
            "「%(text)s」に当たる人が見つかりません。名前の一部を入力して候補から選んでください。"
        ),
        "ambiguous": _("「%(text)s」に当たる人が%(n)s人います。候補から選んでください。"),
        "invalid": _("選んだ人はこの会社のメンバーではありません。"),
    }

    def __init__(self, *, empty_label: Any = "", **kwargs: Any) -> None:
        self.empty_label = empty_label
        self._company: Company | None = None
        super().__init__(**kwargs)

    @property
    def company(self) -> Company | None:
        return self._company

    @company.setter
    def company(self, value: Company) -> None:
        self._company = value
        self.widget.company = value

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        if self.empty_label:
            attrs["placeholder"] = str(self.empty_label)
        return attrs

    def to_python(self, value: Any) -> int | None:
        user_id, text = MemberPicker._split(value)
        if not user_id and not text:
            return None
        assert self._company is not None, "MemberField.company must be set by the form"
        members = active_members(company=self._company)
        if user_id:
            if not user_id.isdigit() or not members.filter(pk=int(user_id)).exists():
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            return int(user_id)
        found = search_members(company=self._company, q=text, limit=SEARCH_LIMIT + 1)
        exact = [u for u in found if label_of(u) == text or u.display_name() == text]
        if len(exact) == 1:
            return exact[0].pk
        if len(found) == 1:
            return found[0].pk
        if not found:
            raise forms.ValidationError(
                self.error_messages["not_found"], code="not_found", params={"text": text}
            )
        raise forms.ValidationError(
            self.error_messages["ambiguous"],
            code="ambiguous",
            params={"text": text, "n": f"{len(found)}+" if len(found) > SEARCH_LIMIT else len(found)},
        )

    def bound_data(self, data: Any, initial: Any) -> Any:
        return data


def bind_member_fields(form: forms.Form, company: Company) -> None:
    """Give every ``MemberField`` of ``form`` the company it chooses from."""
    for field in form.fields.values():
        if isinstance(field, MemberField):
            field.company = company
