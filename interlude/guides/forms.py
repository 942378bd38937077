from __future__ import annotations

from typing import Any

from django import forms

from interlude.guides.models import GuideKind
from interlude.guides.plans import breathing_lengths, offered_patterns, scan_lengths


class GuideDefaultForm(forms.Form):
    """The therapist's choice of what a guide offers first."""

    scan_minutes = forms.TypedChoiceField(
        label="Body scan length offered first", coerce=int, widget=forms.RadioSelect
    )
    pattern = forms.ChoiceField(label="Breathing pattern offered first", widget=forms.RadioSelect)
    breathing_minutes = forms.TypedChoiceField(
        label="How long the breathing guide runs, offered first",
        coerce=int,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scan = self.fields["scan_minutes"]
        pattern = self.fields["pattern"]
        minutes = self.fields["breathing_minutes"]
        assert isinstance(scan, forms.ChoiceField)
        assert isinstance(pattern, forms.ChoiceField)
        assert isinstance(minutes, forms.ChoiceField)
        scan.choices = [(m, f"{m} minutes") for m in scan_lengths()]
        pattern.choices = [(p.slug, f"{p.title}: {p.description}") for p in offered_patterns()]
        minutes.choices = [(m, f"{m} minutes") for m in breathing_lengths()]
        # Only the choices this exercise's guide has.
        if kind == GuideKind.BODY_SCAN:
            del self.fields["pattern"], self.fields["breathing_minutes"]
        else:
            del self.fields["scan_minutes"]


class GuideChoiceForm(forms.Form):
    """The client's choice before starting (a GET form: nothing is saved)."""

    minutes = forms.TypedChoiceField(label="How long?", coerce=int, widget=forms.RadioSelect)
    pattern = forms.ChoiceField(label="Which rhythm?", widget=forms.RadioSelect)

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minutes = self.fields["minutes"]
        pattern = self.fields["pattern"]
        assert isinstance(minutes, forms.ChoiceField)
        assert isinstance(pattern, forms.ChoiceField)
        if kind == GuideKind.BODY_SCAN:
            minutes.choices = [(m, f"{m} minutes") for m in scan_lengths()]
            del self.fields["pattern"]
        else:
            minutes.label = "How long would you like to breathe with the guide?"
            minutes.choices = [(m, f"{m} minutes") for m in breathing_lengths()]
            pattern.choices = [(p.slug, f"{p.title}: {p.description}") for p in offered_patterns()]
