"""`make bench`'s pieces, on a tiny practice: the generator's shape, encryption and seed, the
refusals that keep it away from real databases, and the floor view that exists only in
benchmark mode. No timings are asserted anywhere: `make bench` reports them."""

import importlib
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import Resolver404, clear_url_caches, resolve

from bench.generate import generate_practice
from bench.prepare import PAGES, build_plan, count_queries
from interlude.accounts.models import User
from interlude.couples.models import CoupleCase, CoupleMember
from interlude.encryption.keys import forget_cached_keys
from interlude.homework.access import assignments_for_client
from interlude.homework.models import Assignment, PracticeEntry
from interlude.practice.models import ClientProfile, Membership
from interlude.sharing.person import Person

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
TINY = 0.002  # 1 therapist, 12 clients, about 2,000 practice entries


def quiet(line: str) -> None:
    pass


def practice_signature() -> tuple:
    """What a seed decides, leaving out ids and the clock."""
    people = list(User.objects.order_by("email").values_list("email", "name", "kind"))
    entries = [
        (e.client.email, e.outcome, e.ratings_before, e.reasons, e.visibility, e.reflection)
        for e in PracticeEntry.objects.select_related("client").order_by("practised_at", "pk")
    ]
    return people, entries


@pytest.fixture
def tiny():
    return generate_practice(seed=7, scale=TINY, progress=quiet)


def test_it_generates_a_practice_of_the_planned_shape(tiny):
    assert tiny.therapists == 1 and tiny.clients == 12
    assert User.objects.filter(kind=User.Kind.THERAPIST).count() == 1
    assert ClientProfile.objects.count() == 12
    assert Membership.objects.filter(is_admin=True).count() == 1
    statuses = Counter(CoupleMember.objects.values_list("status", flat=True))
    assert statuses[CoupleMember.Status.NOT_TAKING_PART] == tiny.couples_partner_not_taking_part
    assert CoupleCase.objects.count() == tiny.couples_linked + tiny.couples_partner_not_taking_part
    assert tiny.couples_linked >= 1 and tiny.couples_partner_not_taking_part >= 1
    assert PracticeEntry.objects.count() == tiny.entries > 1000
    assert Assignment.objects.count() == tiny.assignments
    # Two years of history, and every client has something current to practise.
    first, last = (
        PracticeEntry.objects.order_by("practised_at").values_list("practised_at", flat=True)[0],
        PracticeEntry.objects.order_by("-practised_at").values_list("practised_at", flat=True)[0],
    )
    assert (last - first).days > 600
    for client in User.objects.filter(kind=User.Kind.CLIENT):
        assert (
            assignments_for_client(Person(client)).filter(status=Assignment.Status.ACTIVE).exists()
        )


def test_its_reflections_are_encrypted_and_open(tiny):
    forget_cached_keys()  # read back as a fresh worker would, from the wrapped data keys
    with connection.cursor() as cursor:
        cursor.execute("SELECT reflection FROM homework_practiceentry")
        raw = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("v1:") for value in raw)
    reflections = [e.reflection for e in PracticeEntry.objects.all()]
    written = [r for r in reflections if r]
    assert len(written) == tiny.reflections_written
    assert 0.3 < len(written) / len(reflections) < 0.9  # many are empty
    assert max(map(len, written)) <= 800 and min(map(len, written)) < 120
    assert all(r.endswith(".") for r in written)  # whole sentences


def test_the_same_seed_makes_the_same_practice():
    signatures = []
    for _ in range(2):
        with transaction.atomic():
            generate_practice(seed=11, scale=TINY, progress=quiet)
            signatures.append(practice_signature())
            transaction.set_rollback(True)
        forget_cached_keys()  # the data keys were rolled back with everything else
    assert signatures[0] == signatures[1]


def test_it_refuses_a_database_that_has_accounts(cast):
    with pytest.raises(RuntimeError, match="already has accounts"):
        generate_practice(seed=1, scale=TINY, progress=quiet)


def test_the_command_refuses_outside_benchmark_mode():
    with pytest.raises(CommandError, match="INTERLUDE_BENCH"):
        call_command("generate_practice", "--scale", str(TINY))
    with pytest.raises(CommandError, match="INTERLUDE_BENCH"):
        call_command("bench_prepare", "--out", "/dev/null")
    assert not User.objects.exists()


def test_the_floor_does_not_exist_outside_benchmark_mode(client):
    with pytest.raises(Resolver404):
        resolve("/bench/floor/")
    assert client.get("/bench/floor/").status_code == 404


@pytest.fixture
def bench_mode():
    """Benchmark settings with the URLs they bring, for one test."""
    import interlude.urls

    with override_settings(INTERLUDE_BENCH=True):
        importlib.reload(interlude.urls)
        clear_url_caches()
        yield
    importlib.reload(interlude.urls)
    clear_url_caches()


def test_the_floor_exists_in_benchmark_mode(bench_mode, client):
    response = client.get("/bench/floor/")
    assert response.status_code == 200
    assert response.content == b"floor\n"


def test_its_sessions_are_signed_in_on_every_measured_page(bench_mode, tiny):
    plan = build_plan(seed=1, users=6)
    assert set(plan.pages) == set(PAGES)
    assert 3 <= plan.users["clients"] == len(plan.pages["client_home"]) <= 6
    count_queries(plan, per_kind=1)  # raises unless each page answers as signed in
    assert plan.queries["floor"]["max"] == 0
    assert all(plan.queries[page]["min"] > 0 for page in PAGES if page != "floor")


def test_benchmark_mode_needs_debug_off_and_is_refused_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INTERLUDE_", "DEBUG"))}
    env.update(
        SECRET_KEY="k" * 60,
        INTERLUDE_MASTER_KEYS="dGVzdC1vbmx5LW1hc3Rlci1rZXktMzItYnl0ZXMhISE=",
        INTERLUDE_BENCH="1",
    )
    for extra in ({"INTERLUDE_ENV": "development"}, {"INTERLUDE_ENV": "production"}):
        result = subprocess.run(
            [sys.executable, "-c", "import interlude.settings"],
            cwd=ROOT,
            env={**env, **extra, "ALLOWED_HOSTS": "x.test", "EMAIL_HOST": "mail.test"},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode != 0
        assert "INTERLUDE_BENCH=1 is for `make bench` only" in result.stderr


# The client page's practice log as its template wrote it before `make bench`'s profile moved
# the words into queries.timeline_item: the page must read exactly as it did.


def test_the_caseload_links_each_client_as_before(tiny, client):
    from django.urls import reverse

    therapist = User.objects.get(kind=User.Kind.THERAPIST)
    client.force_login(therapist)
    page = client.get(reverse("caseload")).content.decode()
    for profile in ClientProfile.objects.all():
        assert f'<a href="{reverse("client_detail", args=[profile.user_id])}">' in page


def test_the_practice_pages_options_read_as_before(cast):
    """The choices component writes each option's input itself (components/choices.html):
    exactly as Django's own widget templates would."""
    from django.template import engines

    from interlude.homework.forms import AfterForm, BeforeForm
    from interlude.testing import make_exercise

    version = make_exercise()
    labels = {v: v for v in ("only_me", "therapist", "partner", "both")}
    before = BeforeForm({"before_anxiety": "3"}, version=version)
    after = AfterForm(
        {"outcome": "stopped", "reasons": ["too_much", "other"]},
        version=version,
        allowed=["only_me", "therapist"],
        labels=labels,
    )
    before.is_valid()
    after.is_valid()
    engine = engines["django"]
    django = engine.from_string(
        "{% for field in fields %}{% for choice in field %}{{ choice.tag }}{% endfor %}{% endfor %}"
    )
    fields = [before["before_anxiety"], after["outcome"], after["reasons"]]
    text = (ROOT / "templates" / "components" / "choices.html").read_text()
    found = re.search(r"{% with widget=choice.data %}.*?{% endwith %}", text)
    assert found is not None
    ours = engine.from_string(
        "{% for field in fields %}{% for choice in field %}"
        + found.group(0)
        + "{% endfor %}{% endfor %}"
    )
    assert ours.render({"fields": fields}) == django.render({"fields": fields})
    assert "checked" in django.render({"fields": fields})
