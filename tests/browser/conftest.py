"""Playwright driving Debian's system Chromium against pytest-django's live server.

Browsers are never downloaded: the system `chromium` runs headless. Playwright's sync API keeps an event loop
running in the test thread, so Django's "no sync ORM calls inside an event loop" guard is lifted for these tests.
"""

import os
import shutil

import pytest

from tests.factories import DEFAULT_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no system Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def console_errors():
    """Console errors and page errors of the test's page, CSP violations included."""
    return []


@pytest.fixture
def new_page(browser, live_server, console_errors):
    """Opens a page in a browser context of its own (its own cookies, so another user may sign in there)."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
        page.on("pageerror", lambda error: console_errors.append(str(error)))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def browser_sign_in():
    """Signs a page in through the login form, as a person would (users get tests.factories.DEFAULT_PASSWORD)."""

    def sign_in(page, username: str) -> None:
        page.goto("/accounts/login/")  # the login path CONTRACT.md promises
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", DEFAULT_PASSWORD)
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
        page.wait_for_load_state()
        assert "/accounts/login/" not in page.url, "sign-in failed"

    return sign_in
