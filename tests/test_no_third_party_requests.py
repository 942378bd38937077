"""No page may make a request to another site: no CDN, font service or analytics. (Every
rendered page is also checked, as each role: tests/test_rendered_pages.py.)"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
EXTERNAL = re.compile(r"""(?:https?:)?//(?!www\.w3\.org/)[a-z0-9.-]+\.[a-z]{2,}""", re.I)
# Where a URL in markup makes the browser fetch something.
FETCHING = re.compile(
    r"""(?:src|href|action|poster|data|srcset)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import\s+["']?(?:https?:)?//""",
    re.I,
)


def scanned_files():
    for folder in (ROOT / "templates", ROOT / "static"):
        yield from (p for p in folder.rglob("*") if p.is_file())
    for app_templates in (ROOT / "interlude").rglob("templates"):
        yield from (p for p in app_templates.rglob("*") if p.is_file())


def test_it_finds_no_external_urls_in_templates_or_static_files():
    offenders = []
    for path in scanned_files():
        if path.suffix in {".svg"}:
            text = path.read_text()
            text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        elif path.suffix in {".html", ".txt", ".css", ".js"}:
            text = path.read_text()
        else:
            continue
        for match in EXTERNAL.finditer(text):
            offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not offenders, "External URLs found:\n" + "\n".join(offenders)


def test_it_serves_htmx_from_interlude_itself(client):
    page = client.get("/").content.decode()
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', page)
    assert any("htmx" in s for s in scripts)
    assert all(s.startswith(settings.STATIC_URL) for s in scripts), scripts
    links = re.findall(r'<link[^>]+href="([^"]+)"', page)
    assert all(s.startswith(settings.STATIC_URL) for s in links), links


def test_it_makes_the_only_external_address_the_quick_exit_navigation(client):
    page = client.get("/").content.decode()
    found = {m.group(0) for m in EXTERNAL.finditer(page)}
    exit_host = re.match(r"https?://[^/]+", settings.QUICK_EXIT_URL).group(0)
    assert all(u.startswith(exit_host) for u in found), found
    # ... and it is a navigation the person chooses, never a fetch.
    assert not FETCHING.search(page.replace(f'href="{settings.QUICK_EXIT_URL}"', ""))
