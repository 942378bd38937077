from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    """Joining Interlude and linking with a partner: invitations accepted, accounts, couple
    links. The one place where an invitation, an account, a client profile and a couple case
    change together."""

    name = "interlude.onboarding"
    label = "onboarding"
