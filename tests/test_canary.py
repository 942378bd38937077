"""A unique string written through every content-writing flow must never appear in log output,
e-mails and their subjects, URLs, error pages, or any raw database column."""

import logging
import re
import uuid

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from interlude.homework.models import Assignment
from interlude.journal.models import JournalEntry
from interlude.testing import make_exercise, share_with_partner

pytestmark = pytest.mark.django_db


class Collector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines = []

    def emit(self, record):
        self.lines.append(self.format(record))


@pytest.fixture
def logs():
    handler = Collector()
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    sql = logging.getLogger("django.db.backends")
    old_sql_level = sql.level
    sql.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # log every SQL statement with its parameters
    yield handler
    connection.force_debug_cursor = False
    sql.setLevel(old_sql_level)
    root.removeHandler(handler)
    root.setLevel(old_level)


def raw_database_text():
    """Every value of every column of every table, as text."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        chunks.append(bytes(value).decode("utf-8", "replace"))
                    else:
                        chunks.append(str(value))
    return "\n".join(chunks)


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
        practice_url = reverse("practice", args=[assignment.pk])
        responses.append(
            client.post(reverse("practice_draft", args=[assignment.pk]), {"reflection": canary})
        )
        responses.append(client.post(practice_url, {"action": "pause", "reflection": canary}))
        responses.append(client.post(practice_url, {"action": "stop:1", "reflection": canary}))
        responses.append(
            client.post(
                practice_url,
                {
                    "action": "save",
                    "outcome": "stopped",
                    "reasons": ["too_much"],
                    "reflection": f"{canary} reflection",
                    "visibility": "therapist",
                },
            )
        )
        # Flows that send e-mail, after all that writing: invitations and a password reset.
        client.force_login(cast.alice)
        responses.append(
            client.post(
                reverse("client_invite"), {"name": "New", "email": "new-one@example.test"}
            )
        )
        client.force_login(cast.dave)
        responses.append(
            client.post(reverse("partner_invite"), {"name": "Pat", "email": "pat@example.test"})
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
