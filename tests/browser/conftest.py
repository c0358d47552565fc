"""Browser tests: the real app served by uvicorn, driven by Playwright through Debian's Chromium.

One server per run of this folder, in its own process with its own CASEBOOK_HOME and SQLite database (the unit
tests wipe theirs between tests), seeded by tests/browser/seed.py. One browser per run of this folder; each
test gets a fresh context. Any console error or page error fails the test, unless the test says it
expects that exact message (a 404 page logs "Failed to load resource"). `axe_check` runs axe-core
and fails on serious or critical violations. Tests skip, visibly, only when /usr/bin/chromium is missing.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import seed

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
REPO = Path(__file__).resolve().parents[2]
SHOTS = Path(tempfile.gettempdir()) / "casebook-shots"
DEMO_PASSWORD = "demo-password-for-tests"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM.exists():
                item.add_marker(pytest.mark.skip(reason=f"{CHROMIUM} is missing (apt-get install chromium)"))


@pytest.fixture(scope="session")
def migrated() -> None:
    """Overrides the unit tests' database set-up: the browser tests' server has its own database."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    proc: subprocess.Popen
    log: Path
    ready: bool = False

    def wait_ready(self) -> None:
        """Waits for /healthz once; the browser starts meanwhile, as the two take seconds each."""
        deadline = time.monotonic() + 90
        while not self.ready:
            try:
                self.ready = httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                pytest.fail(f"the app server did not start: {self.log.read_text()[-2000:]}")
            time.sleep(0.1)


def launch(**extra_env: str) -> Server:
    """A seeded app server in its own process, CASEBOOK_HOME and database (see seed.py; `extra_env` adds to it)."""
    home = Path(tempfile.mkdtemp(prefix="casebook-browser-"))
    unset = ("CASEBOOK_DATABASE_URL", "PICCOLO_CONF", "CASEBOOK_ALLOWED_HOSTS")  # the unit tests' host list
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(CASEBOOK_HOME=str(home), CASEBOOK_DEMO_PASSWORD=DEMO_PASSWORD, CASEBOOK_TEST_FAST_HASH="1",
               CASEBOOK_SECRET_KEY="browser-secret-0123456789abcdef0",
               PYTHONPATH=os.pathsep.join(p for p in (str(REPO), os.environ.get("PYTHONPATH")) if p), **extra_env)
    port = _free_port()
    log_path = home / "server.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([sys.executable, "-m", "tests.browser.seed", str(port)],
                                env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    return Server(url=f"http://127.0.0.1:{port}", proc=proc, log=log_path)


def stop(server: Server) -> None:
    server.proc.terminate()
    try:
        server.proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.proc.kill()


@pytest.fixture(scope="package")
def server() -> Iterator[Server]:
    started = launch()
    yield started
    stop(started)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Package scope: Playwright's sync API keeps an event loop running in this thread, so it must be
    stopped before the async tests of other folders run."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class ConsoleWatch:
    """Collects console errors and page errors; `expect()` whitelists one message pattern."""

    errors: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def expect(self, pattern: str) -> None:
        self.allowed.append(re.compile(pattern))

    def watch(self, page: Any) -> None:
        page.on("console", lambda msg: msg.type == "error" and self.errors.append(f"console: {msg.text}"))
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not any(p.search(e) for p in self.allowed)]


@pytest.fixture
def console() -> ConsoleWatch:
    return ConsoleWatch()


def page_factory(browser: Any, url: str, console: ConsoleWatch, timeout_ms: int) -> Iterator[Any]:
    """Yields a maker of pages, each in a fresh context (own cookies: own user); checks their consoles at the end."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(base_url=url, viewport={"width": width, "height": height})
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        page = context.new_page()
        console.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    assert console.unexpected() == []


@pytest.fixture
def new_page(server: Server, browser: Any, console: ConsoleWatch) -> Iterator[Any]:
    """Makes pages in fresh contexts (separate cookies: separate users); checks their consoles at the end."""
    server.wait_ready()
    yield from page_factory(browser, server.url, console, timeout_ms=10_000)


@pytest.fixture
def page(new_page: Any) -> Any:
    return new_page()


def sign_in(page: Any, email: str, password: str = seed.PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def axe_check(page: Any) -> None:
    """Runs axe-core on the current page; fails on serious or critical violations, naming them."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text())  # evaluated by the driver: a <script> tag would break the page's CSP
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    bad = [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
           for v in result if v["impact"] in ("serious", "critical")]
    assert bad == [], f"accessibility violations on {page.url}"


def screenshot(page: Any, name: str, full_page: bool = True) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path
