"""E-mail goes through the task queue, never from inside a request, and no sign-in link or
token is ever written into the queue: the worker makes links when it sends."""

import json
import re

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from interlude.accounts.mail import BACKOFF_MINUTES
from interlude.invitations.models import Invitation
from interlude.invitations.tokens import link_token_for
from interlude.testing import make_therapist

pytestmark = pytest.mark.django_db

QUEUED = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})


def run_queue():
    """What the worker does with each queued task (without the worker's own connection
    handling, which would close the test's transaction on PostgreSQL)."""
    for row in DBTaskResult.objects.order_by("enqueued_at"):
        task = import_string(row.task_path)
        task.call(*row.args_kwargs["args"], **row.args_kwargs["kwargs"])


def queue_text():
    return json.dumps([row.args_kwargs for row in DBTaskResult.objects.all()])


@QUEUED
def test_a_password_reset_is_queued_without_its_link_and_sent_by_the_worker(
    client, django_capture_on_commit_callbacks
):
    alice = make_therapist("alice@example.test")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "alice@example.test"})
    assert not mail.outbox  # nothing sent inside the request
    queued = queue_text()
    assert str(alice.pk) in queued and "reset/key" not in queued
    run_queue()
    link = re.search(r"/accounts/password/reset/key/([^/\s]+)/", mail.outbox[-1].body).group(1)
    assert link not in queue_text()


@QUEUED
def test_an_invitation_is_queued_without_its_token(client, django_capture_on_commit_callbacks):
    alice = make_therapist("alice@example.test")
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("client_invite"), {"email": "new@example.test", "name": "New"})
    assert not mail.outbox
    invitation = Invitation.objects.get(email="new@example.test")
    token = link_token_for(invitation)
    assert token not in queue_text()
    assert not any(token in str(v) for v in Invitation.objects.values_list().get())  # not stored
    run_queue()
    assert f"/invite/{token}/" in mail.outbox[-1].body


@QUEUED
def test_a_failed_send_is_tried_again_later_and_given_up_after_a_day(monkeypatch, caplog):
    from interlude.accounts import tasks

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("the mail server is down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    tasks.send_rendered.call("a@example.test", "Subject", "Body")
    again = DBTaskResult.objects.get()
    assert again.args_kwargs["kwargs"] == {"attempt": 2}
    assert again.run_after > again.enqueued_at  # after a pause, not at once
    last = len(BACKOFF_MINUTES) + 1
    tasks.send_rendered.call("a@example.test", "Subject", "Body", attempt=last)
    assert DBTaskResult.objects.count() == 1  # no further try after the last one
    assert "Gave up sending an account notice" in caplog.text
    assert "a@example.test" not in caplog.text  # the log never names the address
    assert sum(BACKOFF_MINUTES) < 24 * 60
