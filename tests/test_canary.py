"""A unique string written through every content-writing flow must never appear in log output,
e-mails and their subjects, URLs, error pages, or any raw database column."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from interlude.homework.models import Assignment, PracticeEntry
from interlude.invitations.models import Invitation
from interlude.journal.models import JournalEntry
from interlude.testing import make_exercise, make_invitation, share_with_partner
from tests.support import raw_database_text

pytestmark = pytest.mark.django_db


def test_the_canary_never_leaks(client, cast, logs, django_capture_on_commit_callbacks):
    canary = f"canary-{uuid.uuid4().hex}"
    share_with_partner(cast.bob)
    responses = []
    client.force_login(cast.bob)
    with django_capture_on_commit_callbacks(execute=True):
        # Every flow that writes client content: new entries with each visibility...
        for visibility in ("only_me", "therapist", "partner", "both"):
            responses.append(
                client.post(
                    reverse("journal"),
                    {"body": f"{canary} {visibility} ünïcode 💬", "visibility": visibility},
                )
            )
        responses.append(client.post(reverse("journal_draft"), {"body": f"{canary} draft"}))
        entry = JournalEntry.objects.filter(author=cast.bob).first()
        # ... an edit, a form with an error, and writes to pages that do not exist.
        responses.append(
            client.post(
                reverse("journal_entry_edit", args=[entry.pk]),
                {"body": f"{canary} edited", "visibility": "therapist"},
            )
        )
        error = client.post(reverse("journal"), {"body": canary, "visibility": "nonsense"})
        assert error.status_code == 400 and canary in error.content.decode()  # kept for Bob
        responses.append(
            client.post(reverse("journal_entry_edit", args=[999999]), {"body": canary})
        )
        responses.append(client.post(reverse("home") + "no-such-page/", {"body": canary}))
        responses.append(client.put(reverse("journal_entry_delete", args=[entry.pk]), canary))
        # Homework: the therapist's note and reason, a practice draft, a reflection.
        client.force_login(cast.alice)
        version = make_exercise()
        responses.append(
            client.post(
                reverse("assign", args=[cast.bob.pk]),
                {
                    "exercise": version.exercise_id,
                    "who": "client",
                    "note": f"{canary} note",
                    "period": "week",
                    "steps": f"{canary} step",
                },
            )
        )
        assignment = Assignment.objects.get(client=cast.bob)
        responses.append(
            client.post(
                reverse("assignment_change", args=[assignment.pk]),
                {
                    "status": "paused",
                    "note": f"{canary} note 2",
                    "period": "week",
                    "steps": "one",
                    "reason": f"{canary} reason",
                },
            )
        )
        client.force_login(cast.bob)
        responses.append(
            client.post(reverse("practice_draft", args=[assignment.pk]), {"reflection": canary})
        )
        responses.append(
            client.post(reverse("practice_pause", args=[assignment.pk]), {"step": "1"})
        )
        responses.append(client.post(reverse("practice_stop", args=[assignment.pk]), {"step": "1"}))
        stopped = PracticeEntry.objects.get(client=cast.bob)
        responses.append(
            client.post(
                reverse("practice_entry_after", args=[stopped.pk]),
                {"reflection": f"{canary} afterwards", "visibility": "therapist"},
            )
        )
        responses.append(
            client.post(
                reverse("practice_after", args=[assignment.pk]),
                {
                    "outcome": "stopped",
                    "reasons": ["too_much"],
                    "felt_unsafe": "on",
                    "reflection": f"{canary} reflection",
                    "visibility": "therapist",
                },
            )
        )
        # Flows that send e-mail, after all that writing: invitations and a password reset.
        client.force_login(cast.alice)
        responses.append(
            client.post(reverse("client_invite"), {"name": "New", "email": "new-one@example.test"})
        )
        client.force_login(cast.dave)
        responses.append(
            client.post(reverse("partner_invite"), {"name": "Pat", "email": "pat@example.test"})
        )
        asked = Invitation.objects.get(email="pat@example.test")
        client.force_login(cast.alice)  # Dave asked; his therapist sends it
        responses.append(
            client.post(reverse("invitation_approve", args=[asked.pk]), {"decision": "send"})
        )
        client.logout()
        responses.append(
            client.post(reverse("account_reset_password"), {"email": "bob@example.test"})
        )
        # The people it was shared with read it (decrypted on the page, as intended).
        client.force_login(cast.carol)
        assert canary in client.get(reverse("shared_by_partner")).content.decode()
        client.force_login(cast.alice)
        assert canary in client.get(reverse("client_journal", args=[cast.bob.pk])).content.decode()
        assert canary in client.get(reverse("client_detail", args=[cast.bob.pk])).content.decode()

    for response in responses:
        assert canary not in response.get("Location", "")
        if response.status_code >= 400:
            assert canary not in response.content.decode(), response.status_code
        for url in re.findall(r'(?:href|action|src)="([^"]*)"', response.content.decode()):
            assert canary not in url
    assert len(mail.outbox) >= 3, [m.subject for m in mail.outbox]  # the e-mails were sent...
    for message in mail.outbox:  # ... and none carries the canary anywhere
        assert canary not in message.message().as_string()
    log_text = "\n".join(logs.lines)
    assert "INSERT INTO" in log_text  # the SQL log was captured...
    assert canary not in log_text  # ... and holds only ciphertext
    assert canary not in raw_database_text()
    assert "ünïcode" not in raw_database_text()


def test_no_log_line_ever_holds_a_link_token(client, cast, logs):
    """Invitation tokens and reset keys live in URLs; Django logs 4xx answers with their path."""
    invitation, token = make_invitation(
        kind=Invitation.Kind.PARTNER, email="dave@example.test", by=cast.alice
    )
    url = reverse("invitation_accept", args=[token])
    client.force_login(cast.bob)
    assert client.get(url).status_code == 409  # signed in as someone else
    client.logout()
    assert client.post(url, {"name": ""}).status_code in (200, 302, 400)
    new, new_token = make_invitation(
        kind=Invitation.Kind.CLIENT, email="fresh@example.test", by=cast.alice
    )
    assert client.post(reverse("invitation_accept", args=[new_token]), {}).status_code == 400
    reset_key = "3-abcdef-0123456789abcdef0123456789abcdef"
    client.get(f"/accounts/password/reset/key/{reset_key}/")
    client.get(reverse("account_confirm_email", args=["some-confirmation-key"]))
    log_text = "\n".join(logs.lines)
    assert "Bad Request" in log_text or "Conflict" in log_text  # the 4xx lines were logged...
    for secret in (token, new_token, reset_key, "some-confirmation-key"):
        assert secret not in log_text  # ... without the secret
    assert "/invite/[hidden]" in log_text


@pytest.mark.parametrize(
    "line",
    [
        "Bad Request: /invite/{t}/",
        'GET /accounts/login/?next=%2Finvite%2F{t}%2F HTTP/1.1" 200',
        "/accounts/password/reset/key/{t}/",
        "/accounts/confirm-email/{t}/",
    ],
)
def test_it_redacts_every_kind_of_secret_path(line):
    from interlude.lib.redact import redact

    secret = "Zm9vYmFyYmF6cXV4-token_value"
    cleaned = redact(line.format(t=secret))
    assert secret not in cleaned and "[hidden]" in cleaned


def test_gunicorn_access_lines_are_redacted_too():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from interlude.lib.redact import gunicorn_logger_class

    logger = gunicorn_logger_class()(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/invite/secret-token-value/",
        "PATH_INFO": "/invite/secret-token-value/",
        "QUERY_STRING": "next=%2Finvite%2Fsecret-token-value%2F",
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="409 Conflict", headers=[], sent=10)
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    assert "secret-token-value" not in " ".join(str(v) for v in atoms.values())
