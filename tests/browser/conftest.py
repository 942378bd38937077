"""Browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser)."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the test
# itself (reading the outbox, checking rows) are still ordinary synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("INTERLUDE_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
        message = (
            f"\n\n{'!' * 70}\n!! Chromium not found at {CHROMIUM}: BROWSER TESTS SKIPPED.\n"
            f"!! Install it with: sudo apt-get install chromium\n{'!' * 70}\n"
        )
        if os.environ.get("CI"):
            pytest.fail("Chromium is required in CI" + message)
        print(message)
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server, always at http://localhost:<port>.

    Passkeys and security keys (WebAuthn) refuse an IP address as the site's name, so a server
    at 127.0.0.1 (for example from DJANGO_LIVE_TEST_SERVER_ADDRESS) could not test them. A port
    given there or with --liveserver is kept."""
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
    port = addr.rpartition(":")[2] if addr and ":" in addr else ""
    server = LiveServer(f"localhost:{port}" if port else "localhost")
    yield server
    server.stop()


@pytest.fixture
def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    contexts = []

    def make(  # type: ignore[no-untyped-def]
        width: int = 390, height: int = 844, *, touch: bool = False, storage_state=None
    ):
        """A page in a fresh context. TOUCH makes it a phone (touch screen, no hover);
        STORAGE_STATE (from another context) starts it signed in as the same person."""
        context = browser.new_context(
            viewport={"width": width, "height": height},
            base_url=live_server.url,
            is_mobile=touch,
            has_touch=touch,
            storage_state=storage_state,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        # Script errors and refused content (htmx syntax, CSP) are failures of ours.
        page.on(
            "console",
            lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text} @ {m.location}"),
        )
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        return page

    errors: list[str] = []
    yield make
    for context in contexts:
        context.close()
    assert not [e for e in errors if not _expected(e)], "\n".join(errors)


def _expected(error: str) -> bool:
    """Errors a journey makes on purpose: a refused answer the test asked for (4xx)."""
    return "Failed to load resource: the server responded with a status of 4" in error


@pytest.fixture
def shoot():  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:  # type: ignore[no-untyped-def]
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


# axe-core 4.12.1, bundled in the axe-playwright-python wheel: injected through the DevTools
# protocol (so the page's CSP does not block it) and never fetched from the network.
AXE = Axe()
SERIOUS = ("serious", "critical")


def axe_problems(page, name: str, *, allow: frozenset[str] = frozenset()) -> list[str]:  # type: ignore[no-untyped-def]
    """Serious and critical axe-core violations on PAGE, one readable line per element.

    ALLOW names rule ids known to fail on this page (each with a reason where it is passed)."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in SERIOUS or violation["id"] in allow:
            continue
        for node in violation["nodes"]:
            targets = " ".join(str(t) for t in node["target"])
            problems.append(
                f"{name}: {violation['id']} ({violation['impact']}) at {targets}: "
                f"{violation['help']}. Element: {node.get('html', '')[:160]}"
            )
    return problems


@pytest.fixture
def check_axe():  # type: ignore[no-untyped-def]
    """check_axe(page, name) fails on any serious or critical axe-core violation on the page."""

    def check(page, name: str, *, allow: frozenset[str] = frozenset()) -> None:  # type: ignore[no-untyped-def]
        problems = axe_problems(page, name, allow=allow)
        if problems:
            pytest.fail("Accessibility problems:\n" + "\n".join(problems), pytrace=False)

    return check


class _NeutralSite(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        body = b"<!doctype html><title>Weather</title><h1>Weather today: light cloud</h1>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def neutral_site(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A stand-in for the ordinary website quick exit goes to (on loopback, another port)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NeutralSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/weather"
    settings.QUICK_EXIT_URL = url
    yield url
    server.shutdown()
