"""HTTP checks of `make image-check` against the portal's container on the loopback (standard library only).

health                       GET /health/: 200, status ok, every check ok (the worker's heartbeat included)
sign-in --username --password  the sign-in form as a browser fills it behind the TLS proxy, then the dashboard
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
from http.cookies import SimpleCookie
from urllib.parse import urlencode

HOST = "127.0.0.1"


class Browser:
    """Requests as the TLS-terminating proxy forwards them (X-Forwarded-Proto: https), with a cookie jar."""

    def __init__(self, port: int):
        self.port = port
        self.origin = f"https://{HOST}:{port}"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict | None = None, referer: str | None = None):
        headers = {"Host": f"{HOST}:{self.port}", "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
        if referer:
            headers["Referer"] = referer
        connection = http.client.HTTPConnection(HOST, self.port, timeout=10)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        connection.close()
        return response, text


def check_health(port: int) -> None:
    response, text = Browser(port).request("GET", "/health/")
    body = json.loads(text)
    print(f"GET /health/ -> {response.status} {text}")
    assert response.status == 200, response.status
    assert body["status"] == "ok", body
    assert set(body["checks"].values()) == {"ok"}, body["checks"]
    assert set(body) == {"status", "checks"}, "an anonymous caller got more than the statuses"


def check_static(port: int) -> None:
    browser = Browser(port)
    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200, f"login page: {response.status}"
    stylesheets = re.findall(r'<link[^>]+href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', page)
    assert stylesheets, "the page names no hashed stylesheet (collectstatic's manifest unused?)"
    response, text = browser.request("GET", stylesheets[0])
    assert response.status == 200, f"{stylesheets[0]}: {response.status}"
    assert "max-age=315360000" in (response.headers.get("Cache-Control") or ""), response.headers.get("Cache-Control")
    print(f"GET {stylesheets[0]} -> 200, {len(text)} characters, cached for ever (hashed name)")


def check_sign_in(port: int, username: str, password: str) -> None:
    browser = Browser(port)
    response, page = browser.request("GET", "/accounts/login/")
    assert response.status == 200, f"login page: {response.status}"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    response, _ = browser.request(
        "POST",
        "/accounts/login/",
        form={"csrfmiddlewaretoken": token, "username": username, "password": password},
        referer=f"{browser.origin}/accounts/login/",
    )
    assert response.status == 302, f"sign-in answered {response.status}, not a redirect into the portal"
    assert "sessionid" in browser.cookies, "no session cookie"
    response, page = browser.request("GET", "/")
    assert response.status == 200, f"dashboard: {response.status}"
    assert username in page, "the dashboard does not show the signed-in user"
    print(f"signed in as {username}: POST /accounts/login/ -> 302, GET / -> 200 with the user's menu")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("check", choices=["health", "static", "sign-in"])
    parser.add_argument("--username")
    parser.add_argument("--password")
    arguments = parser.parse_args()
    try:
        if arguments.check == "health":
            check_health(arguments.port)
        elif arguments.check == "static":
            check_static(arguments.port)
        else:
            check_sign_in(arguments.port, arguments.username, arguments.password)
    except (AssertionError, OSError, ValueError, AttributeError) as error:
        print(f"{arguments.check}: {error!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
