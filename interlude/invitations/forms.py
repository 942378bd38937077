from django import forms

from interlude.accounts.forms import SetPasswordFields


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
