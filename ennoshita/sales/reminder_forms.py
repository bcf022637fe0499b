"""Forms of the 督促 screens: which customer and level to remind, and the e-mail to send."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .document_forms import FlexibleDateField
from .models import Reminder


class ReminderCreateForm(forms.Form):
    customer = forms.IntegerField(widget=forms.HiddenInput)
    as_of = FlexibleDateField(label=_("基準日"))
    level = forms.TypedChoiceField(
        label=_("段階"),
        choices=[("", _("自動(前回の次の段階)")), *Reminder.Level.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )


class ReminderSendForm(forms.Form):
    to = forms.CharField(
        label=_("送付先メールアドレス"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("件名"), max_length=200, required=False)
    message = forms.CharField(
        label=_("本文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("空欄のときは段階に応じた定型文を送ります。"),
    )
