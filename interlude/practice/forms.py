from django import forms


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=80,
        required=False,
        help_text="Only used in the invitation e-mail's greeting. Optional.",
    )
    email = forms.EmailField(label="Their e-mail address", max_length=254)


class PartnerNotTakingPartForm(forms.Form):
    label = forms.CharField(
        label="How to refer to their partner",
        max_length=80,
        required=False,
        help_text="A first name or “partner”. They will not get an account or any e-mail.",
    )
