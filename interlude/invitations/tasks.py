"""Invitation e-mails, sent by the background worker with the link made at send time."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from interlude.accounts.mail import absolute, message, send_or_retry
from interlude.invitations.models import Invitation

# The same subject for every invitation: nothing about therapy, sex or an exercise.
SUBJECT = "An invitation to Interlude"


@task()
def send_invitation(invitation_id: int, attempt: int = 1) -> None:
    """E-mail an invitation's link. An address that already has an account is told so in the
    e-mail itself (never the person who invited them), and accepts after signing in."""
    from interlude.invitations.access import account_for_invitation
    from interlude.invitations.tokens import link_token_for

    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_pending:
        return
    existing = account_for_invitation(invitation)
    context = {
        "invitation": invitation,
        "link": absolute(reverse("invitation_accept", args=[link_token_for(invitation)])),
        "inviter": invitation.invited_by.display_name,
        "days": settings.INVITATION_DAYS,
    }
    template = "emails/invitation_existing.txt" if existing else "emails/invitation.txt"
    body = render_to_string(template, context)

    def again(*, attempt: int, run_after: datetime) -> None:
        send_invitation.using(run_after=run_after).enqueue(invitation_id, attempt=attempt)

    send_or_retry(
        lambda: message(to=invitation.email, subject=SUBJECT, body=body).send(),
        again=again,
        attempt=attempt,
        what=f"invitation {invitation_id}",
    )
