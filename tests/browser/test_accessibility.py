"""axe-core on each main page, as each kind of person, at phone (390x844) and desktop (1280x900).

Fails on any serious or critical violation. Screenshots of every page at both sizes go to
test-artifacts/screenshots/a11y-<page>-<size>.png, to look at.
"""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from interlude.audit.actions import audit_read
from interlude.exercises.actions import library_sync
from interlude.exercises.models import Exercise, ExerciseVersion
from interlude.homework.actions import assignment_create
from interlude.testing import PASSWORD, make_cast
from tests.browser.conftest import ARTIFACTS, axe_problems

pytestmark = pytest.mark.django_db(transaction=True)

SIZES = {"phone": (390, 844), "desktop": (1280, 900)}

# Known violations that need a bigger change in a page template owned by someone else, as
# {page name: {rule id, ...}}. Each entry is narrow (one rule on one page) and should be removed
# as soon as that template is fixed.
KNOWN: dict[str, frozenset[str]] = {}


class Journey:
    """One person on a phone (touch, no hover) and on a desktop: visits each page on both, runs
    axe on each and keeps every problem for one report at the end."""

    def __init__(self, new_page, shoot, problems: list[str]) -> None:  # type: ignore[no-untyped-def]
        self.new_page = new_page
        self.shoot = shoot
        self.problems = problems
        self.pages = {"phone": new_page(*SIZES["phone"], touch=True)}

    @property
    def phone(self):  # type: ignore[no-untyped-def]
        return self.pages["phone"]

    def signed_in(self) -> None:
        """Open the desktop page with the phone's session (a TOTP code is good only once)."""
        state = self.phone.context.storage_state()
        self.pages["desktop"] = self.new_page(*SIZES["desktop"], storage_state=state)

    def check(self, name: str, path: str) -> None:
        if "desktop" not in self.pages:
            self.pages["desktop"] = self.new_page(*SIZES["desktop"])
        for size, page in self.pages.items():
            page.goto(path)
            self.problems += axe_problems(
                page, f"{name} ({size})", allow=KNOWN.get(name, frozenset())
            )
            self.shoot(page, f"a11y-{name}-{size}")
            if size == "phone" and self.nav_rows(page) > 1:
                self.problems.append(f"{name} (phone): the main menu wraps onto several rows")

    @staticmethod
    def nav_rows(page) -> int:  # type: ignore[no-untyped-def]
        return page.locator(".site-nav__list > li").evaluate_all(
            "items => new Set(items.map(li => Math.round(li.getBoundingClientRect().top))).size"
        )


def report(problems: list[str]) -> None:
    if problems:
        pytest.fail(
            "Serious or critical accessibility problems:\n" + "\n".join(problems), pytrace=False
        )


def sign_in(page, email, *, totp_user=None):  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if totp_user is not None:
        secret = decrypt(
            Authenticator.objects.get(user=totp_user, type=Authenticator.Type.TOTP).data["secret"]
        )
        page.get_by_label("Code").fill(
            format_hotp_value(hotp_value(secret, int(time.time()) // 30))
        )
        page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**/")


def library_version(slug: str) -> ExerciseVersion:
    exercise = Exercise.objects.get(slug=slug, practice__isnull=True)
    return ExerciseVersion.objects.get(exercise=exercise, version=exercise.latest_version)


def test_client_pages_pass_axe(new_page, shoot, neutral_site):
    library_sync()  # transactional tests empty the database between tests
    cast = make_cast()
    assignment = assignment_create(
        therapist=cast.alice,
        version=library_version("sensate-focus-stage-1"),
        couple=cast.member(cast.bob).couple,
        note="Go slowly. Either of you can say no.",
        times=2,
    )
    # Alice opened Bob's record once, so his access history has a row to show.
    audit_read(actor=cast.alice, subject=cast.bob, what="client.therapist")
    problems: list[str] = []

    visitor = Journey(new_page, shoot, problems)
    visitor.check("welcome", "/")
    visitor.check("sign-in", "/accounts/login/")

    bob = Journey(new_page, shoot, problems)
    sign_in(bob.phone, "bob@example.test")
    bob.signed_in()
    bob.check("client-home", "/")
    bob.check("journal", "/journal/")
    bob.check("partner", "/partner/")
    bob.check("privacy", "/privacy/")
    bob.check("access-history", "/privacy/history/")
    bob.check("practice", f"/practice/{assignment.pk}/")
    bob.check("practice-step", f"/practice/{assignment.pk}/step/2/")
    bob.check("practice-after", f"/practice/{assignment.pk}/after/")
    bob.check("stage-ready", f"/practice/{assignment.pk}/ready/")
    bob.check("shared-with-you", "/partner/shared/")
    bob.check("account", "/accounts/email/")

    # The current page is marked in the menu (which fits one row on the phone: checked on every
    # page above), and the Account menu opens with a tap or a click, without a script.
    phone, desktop = bob.pages["phone"], bob.pages["desktop"]
    for size, page in bob.pages.items():
        page.goto("/journal/")
        assert page.get_by_role("link", name="Journal").get_attribute("aria-current") == "page"
        account = page.get_by_text("Account", exact=True)
        if size == "phone":
            account.tap()
        else:
            account.click()
        page.get_by_role("button", name="Sign out").wait_for()
        bob.problems += axe_problems(page, f"account-menu-open ({size})")
        shoot(page, f"a11y-account-menu-open-{size}")

    # The Shift hint shows only where a keyboard is likely.
    assert not phone.get_by_text("three times to leave this page").is_visible()
    assert desktop.get_by_text("three times to leave this page").is_visible()

    # Nothing sits under the quick-exit bar, and it stays on screen however far the page scrolls.
    for page in (phone, desktop):
        page.goto(f"/practice/{assignment.pk}/")
        bar = page.locator(".site-header").bounding_box()
        assert page.locator("main").bounding_box()["y"] >= bar["y"] + bar["height"]
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_function("window.scrollY > 0")
        exit_box = page.get_by_role("link", name="Exit this page").bounding_box()
        assert (
            exit_box["y"] >= 0
            and exit_box["y"] + exit_box["height"] <= page.viewport_size["height"]
        )
    # What the screen shows once scrolled (a full-page shot would not show the bar staying).
    phone.screenshot(path=str(ARTIFACTS / "a11y-practice-scrolled-phone.png"))

    # A tap on it, from far down the page, leaves; Back does not return.
    phone.get_by_role("link", name="Exit this page").tap()
    phone.wait_for_url(neutral_site)
    phone.go_back()
    phone.wait_for_timeout(300)
    assert phone.url == neutral_site

    # Bad input: the summary takes focus, nothing typed is lost, and once the field is changed
    # its message steps aside.
    desktop.goto("/journal/")
    desktop.get_by_role("button", name="Save entry").click()
    summary = desktop.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.evaluate("s => s === document.activeElement")
    desktop.get_by_label("What would you like to write?").fill("A few words now.")
    summary.wait_for(state="hidden")

    # A client with no partner yet sees the invitation form on the partner page.
    dave = Journey(new_page, shoot, problems)
    sign_in(dave.phone, "dave@example.test")
    dave.signed_in()
    dave.check("partner-invite", "/partner/")

    report(problems)


def test_therapist_pages_pass_axe(new_page, shoot):
    library_sync()
    cast = make_cast()
    stage1 = library_version("sensate-focus-stage-1")
    assignment = assignment_create(
        therapist=cast.alice, version=stage1, couple=cast.member(cast.bob).couple, times=2
    )
    problems: list[str] = []

    alice = Journey(new_page, shoot, problems)
    sign_in(alice.phone, "alice@example.test", totp_user=cast.alice)
    alice.signed_in()
    alice.check("caseload", "/clients/")
    alice.check("client", f"/clients/{cast.bob.pk}/")
    alice.check("library", "/library/")
    alice.check("assign-pick", f"/clients/{cast.bob.pk}/assign/")
    alice.check("assign", f"/clients/{cast.bob.pk}/assign/?exercise={stage1.exercise_id}")
    alice.check("adjust", f"/assignments/{assignment.pk}/change/")

    pam = Journey(new_page, shoot, problems)
    sign_in(pam.phone, "pam@example.test", totp_user=cast.pam)
    pam.signed_in()
    pam.check("team", "/team/")

    report(problems)
