from typing import Any

from django import forms
from django.http import HttpRequest

from interlude.accounts.forms import SetPasswordFields
from interlude.accounts.models import User
from interlude.accounts.validators import fold_email, normalise_email
from interlude.practice.actions import practice_create_for_therapist


class AcceptClientForm(SetPasswordFields):
    agree_terms = forms.BooleanField(
        label="I have read how Interlude works and agree to these terms.",
        error_messages={"required": "Please tick this box to agree, or close this page."},
    )


class AcceptPartnerForm(AcceptClientForm):
    link_consent = forms.BooleanField(
        label="I agree to link my account with my partner's for our shared work.",
        error_messages={"required": "Linking needs your agreement. Tick the box to go on."},
    )


class LinkConsentForm(forms.Form):
    link_consent = forms.BooleanField(
        label="I agree to link my account with my partner's for our shared work.",
        error_messages={"required": "Linking needs your agreement. Tick the box to go on."},
    )


class NormalisedEmailField(forms.EmailField):
    """Full-width and other compatibility forms become plain letters before the address is
    checked; anything that still is not plain ASCII is refused (normalise_email)."""

    def to_python(self, value: Any) -> str:
        return fold_email(super().to_python(value) or "")

    def clean(self, value: Any) -> str:
        folded = self.to_python(value)
        if folded:
            normalise_email(folded)  # refuses look-alike letters before the format check
        return str(super().clean(value))


MAX_NAME = 80
MAX_EMAIL = 254
MAX_PRACTICE_NAME = 120


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=MAX_NAME,
        required=False,
        help_text="Only used in the invitation e-mail's greeting. Optional.",
        error_messages={
            "max_length": f"A name can be up to {MAX_NAME} characters. A first name is plenty."
        },
    )
    email = NormalisedEmailField(
        label="Their e-mail address",
        max_length=MAX_EMAIL,
        error_messages={
            "required": "Please add their e-mail address: the invitation goes there.",
            "max_length": f"An e-mail address can be up to {MAX_EMAIL} characters. Could you "
            "check this one?",
        },
    )


class PartnerNotTakingPartForm(forms.Form):
    label = forms.CharField(
        label="How to refer to their partner",
        max_length=MAX_NAME,
        required=False,
        help_text="A first name or “partner”. They will not get an account or any e-mail.",
        error_messages={
            "max_length": f"This can be up to {MAX_NAME} characters. A first name or "
            "“partner” is plenty."
        },
    )


class TherapistSignupForm(forms.Form):
    """Extra fields on the public sign-up, which is for therapists only (clients are invited)."""

    name = forms.CharField(
        label="Your name",
        max_length=MAX_NAME,
        help_text="Shown to your clients, for example “Dr Sam Rivera” or “Sam”.",
        error_messages={
            "required": "Please add your name, as your clients will see it.",
            "max_length": f"A name can be up to {MAX_NAME} characters. Could you shorten it?",
        },
    )
    practice_name = forms.CharField(
        label="Practice name",
        max_length=MAX_PRACTICE_NAME,
        required=False,
        help_text="Leave empty to use your own name. You can invite colleagues later.",
        error_messages={
            "max_length": f"A practice name can be up to {MAX_PRACTICE_NAME} characters. "
            "Could you shorten it?"
        },
    )

    def signup(self, request: HttpRequest, user: User) -> None:
        practice_create_for_therapist(therapist=user, name=self.cleaned_data["practice_name"])
