"""An invitation's link token, derived when the e-mail is sent and never stored.

The row keeps a random nonce and the SHA-256 of the token; the token itself is an HMAC of the
nonce under a key derived from SECRET_KEY. So the background worker can build the link at send
time without the token ever being written to the database or the task queue, and a copy of the
database alone (a backup, say) cannot produce a working link. Changing SECRET_KEY makes links
still waiting stop working; the person can be invited again.
"""

from __future__ import annotations

import base64
import secrets

from django.utils.crypto import salted_hmac

from interlude.invitations.models import Invitation

SALT = "interlude.invitations.link-token"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


def invitation_token(nonce: str) -> str:
    digest = salted_hmac(SALT, nonce, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def link_token_for(invitation: Invitation) -> str:
    """The token in this invitation's link (for the e-mail, and for tests)."""
    if not invitation.nonce:
        raise ValueError("This invitation was made before links were derived; send a new one.")
    return invitation_token(invitation.nonce)
