"""`make load`'s users: the persona mix of real use, run by locust against the portal on loopback (bench/load.py).

Four kinds of users, each signed in as its own account (bench/load.py creates them in the bench database and
passes them in the file named by LOAD_ACCOUNTS):

- IRO members and focal points browse the program list (pages, filters, keywords), program pages, the search
  and their dashboard; focal points also create programs through the form and change who they share them with;
- Committee experts read the program list, the IGO tables, the cooperation map, their dashboard, and export;
- API clients list programs 50 at a time with a token, page through them and read single programs.

Every request carries a `name` (the endpoint's row in the report). Only 127.0.0.1 / localhost / ::1 are accepted as
host, and the run stops itself after LOAD_MAX_REQUESTS requests, whatever `--run-time` says.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
ACCOUNTS = json.loads(Path(os.environ["LOAD_ACCOUNTS"]).read_text()) if os.environ.get("LOAD_ACCOUNTS") else {}
MAX_REQUESTS = int(os.environ.get("LOAD_MAX_REQUESTS", "20000"))
WAIT = (float(os.environ.get("LOAD_WAIT_MIN", "1")), float(os.environ.get("LOAD_WAIT_MAX", "3")))

# What people type: a broad word or two, a topic and a place, a phrase from a title (bench/run.py draws titles and
# summaries from the same vocabulary).
KEYWORDS = [
    "export control",
    "border security Central Asia",
    "customs officers training",
    "nuclear security",
    "biosecurity laboratory",
    "proliferation financing intelligence",
    "tabletop exercise",
    "licensing authorities Kenya",
    "maritime interdiction port",
    "legislative review parliamentarians",
]
THEMATIC_AREAS = ["nuclear", "chemical", "biological", "op3c", "op3d", "training", "legislative", "awareness"]
REGIONS = ["002", "142", "143", "011", "150", "035", "019"]
COUNTRIES = ["KZ", "GH", "PE", "PH", "KE", "UZ", "JO"]
STATUSES = ["planned", "ongoing", "completed"]
PROGRAM_LINK = re.compile(r'href="/programs/(\d+)/"')


@events.init.add_listener
def refuse_remote_hosts(environment, **kwargs):
    host = urlsplit(environment.host or "").hostname or ""
    if host not in LOOPBACK and f"[{host}]" not in LOOPBACK:
        raise SystemExit(f"make load runs against loopback only, not {environment.host!r}")


_requests = itertools.count(1)


@events.request.add_listener
def stop_after_max_requests(**kwargs):
    if next(_requests) == MAX_REQUESTS:
        environment = kwargs.get("context", {}).get("environment") or _environment
        if environment is not None and environment.runner is not None:
            environment.runner.quit()


_environment = None


@events.init.add_listener
def keep_environment(environment, **kwargs):
    global _environment
    _environment = environment


def totp(key_hex: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (what django-otp's TOTP devices check): HMAC-SHA1 of the time step, dynamically truncated."""
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(bytes.fromhex(key_hex), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(code).zfill(digits)


def expect_visible_or_withdrawn(response) -> None:
    """A program read from a list a moment ago: 200, or 404 when its owner has since narrowed who sees it (the
    focal points here change audiences): a hidden program answers 404, as the sharing rules say."""
    if response.status_code in (200, 404):
        response.success()
    else:
        response.failure(f"status {response.status_code}")


class FormReader(HTMLParser):
    """The fields of the first POST form holding `marker` as a field name, as a browser would send them."""

    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.forms: list[list[tuple[str, str]]] = []
        self.options: dict[str, list[str]] = {}
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = []
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self.options.setdefault(name, []).append(attrs.get("value", "on"))
                if "checked" in attrs:
                    self._form.append((name, attrs.get("value", "on")))
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            self.options.setdefault(self._select, []).append(attrs.get("value", ""))
            if "selected" in attrs:
                self._form.append((self._select, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.append((name, ""))

    def handle_data(self, data):
        if self._textarea and self._form and self._form[-1][0] == self._textarea:
            self._form[-1] = (self._textarea, self._form[-1][1] + data)

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._form = None

    def fields(self) -> list[tuple[str, str]]:
        for form in self.forms:
            if any(name == self.marker for name, _value in form):
                return form
        raise LookupError(f"no form with a field {self.marker!r}")


def read_form(html: str, marker: str) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    reader = FormReader(marker)
    reader.feed(html)
    return reader.fields(), reader.options


def replace(fields: list[tuple[str, str]], name: str, values) -> list[tuple[str, str]]:
    values = [values] if isinstance(values, str) else list(values)
    return [(key, value) for key, value in fields if key != name] + [(name, value) for value in values]


class Persona(FastHttpUser):
    abstract = True
    wait_time = between(*WAIT)
    account_kind = ""
    _pools: dict[str, itertools.count] = {}

    def account(self) -> dict:
        pool = self._pools.setdefault(self.account_kind, itertools.count())
        accounts = ACCOUNTS[self.account_kind]
        return accounts[next(pool) % len(accounts)]

    def on_start(self):
        self.me = self.account()
        self.program_ids: list[int] = []
        self.sign_in()

    def post_form(self, url: str, fields: list[tuple[str, str]], name: str):
        """POST as a browser sends a form; not following the redirect, so its Location says where it went."""
        return self.client.post(
            url,
            data=urlencode(fields),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            name=name,
            catch_response=True,
            allow_redirects=False,
        )

    def sign_in(self):
        page = self.client.get("/accounts/login/", name="sign-in")
        fields, _options = read_form(page.text, "username")
        fields = replace(fields, "username", self.me["username"])
        fields = replace(fields, "password", self.me["password"])
        with self.post_form("/accounts/login/", fields, "sign-in") as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused for {self.me['username']}")
                raise StopUser
            response.success()
        if self.me.get("totp_key"):
            page = self.client.get("/accounts/two-factor/verify/?next=/", name="sign-in")
            fields, _options = read_form(page.text, "code")
            fields = replace(fields, "code", totp(self.me["totp_key"]))
            with self.post_form("/accounts/two-factor/verify/?next=/", fields, "sign-in") as response:
                if response.status_code != 302:
                    response.failure(f"second factor refused for {self.me['username']}")
                    raise StopUser
                response.success()

    # --- what every signed-in persona does ---------------------------------------------------------------
    def remember_programs(self, html: str):
        found = [int(pk) for pk in PROGRAM_LINK.findall(html)]
        if found:
            self.program_ids = (found + self.program_ids)[:200]

    def program_list(self):
        roll = random.random()
        if roll < 0.4:
            url, name = "/programs/", "web: program list"
        elif roll < 0.6:
            url, name = f"/programs/?page={random.randint(2, 40)}", "web: program list"
        elif roll < 0.85:
            filters = random.choice(
                [
                    f"thematic_area={random.choice(THEMATIC_AREAS)}",
                    f"region={random.choice(REGIONS)}",
                    f"status={random.choice(STATUSES)}",
                    f"country={random.choice(COUNTRIES)}",
                    f"thematic_area={random.choice(THEMATIC_AREAS)}&region={random.choice(REGIONS)}",
                ]
            )
            url, name = f"/programs/?{filters}", "web: program list (filtered)"
        else:
            url, name = f"/programs/?q={random.choice(KEYWORDS)}", "web: program list (keywords)"
        response = self.client.get(url, name=name)
        self.remember_programs(response.text)

    def program_detail(self):
        if not self.program_ids:
            self.program_list()
            return
        with self.client.get(
            f"/programs/{random.choice(self.program_ids)}/", name="web: program detail", catch_response=True
        ) as response:
            expect_visible_or_withdrawn(response)

    def search(self):
        self.client.get(f"/search/?q={random.choice(KEYWORDS)}", name="web: search")

    def dashboard(self):
        self.client.get("/", name="web: dashboard")

    def organization(self):
        acronym = random.choice(["B1", "B2", "IRO-003", "IRO-010", "AU", "OSCE"])
        self.client.get(f"/organizations/{acronym}/", name="web: organization profile")


class IroMember(Persona):
    """Reads: lists, program pages, search, the dashboard."""

    weight = 6
    account_kind = "member"

    @task(5)
    def list_programs(self):
        self.program_list()

    @task(5)
    def read_program(self):
        self.program_detail()

    @task(3)
    def search_everything(self):
        self.search()

    @task(2)
    def home(self):
        self.dashboard()

    @task(1)
    def profile(self):
        self.organization()


class FocalPoint(IroMember):
    """Reads like a member; also creates programs and changes who sees them."""

    weight = 3
    account_kind = "focal_point"

    @task(1)
    def create_program(self):
        page = self.client.get("/programs/new/", name="web: program form")
        fields, options = read_form(page.text, "title")
        partners = [value for value in options.get("shared_with", []) if value]
        fields = replace(fields, "title", f"Load test program {random.randint(1, 10**9)}: border controls")
        fields = replace(fields, "summary", "Training of customs officers on strategic trade controls.")
        fields = replace(fields, "status", "planned")
        areas = options.get("thematic_areas", [])
        fields = replace(fields, "thematic_areas", random.sample(areas, min(2, len(areas))))
        fields = replace(fields, "regions", [random.choice(REGIONS)])
        fields = replace(fields, "beneficiary_countries", [random.choice(COUNTRIES)])
        fields = replace(fields, "audience", "selected")
        fields = replace(fields, "shared_with", random.sample(partners, min(3, len(partners))))
        fields = replace(fields, "action", "submit")
        with self.post_form("/programs/new/", fields, "web: program create") as response:
            match = re.search(r"/programs/(\d+)/$", response.headers.get("Location") or "")
            if match is None:
                response.failure("the program was not created")
            else:
                response.success()
                self.program_ids.insert(0, int(match.group(1)))
                self.own = getattr(self, "own", []) + [int(match.group(1))]

    @task(1)
    def share_program(self):
        own = getattr(self, "own", None)
        if not own:
            return
        pk = random.choice(own)
        page = self.client.get(f"/programs/{pk}/edit/", name="web: program edit form")
        fields, options = read_form(page.text, "title")
        audience = random.choice(["all_iros", "committee", "selected"])
        fields = replace(fields, "audience", audience)
        if audience == "selected":
            partners = [value for value in options.get("shared_with", []) if value]
            fields = replace(fields, "shared_with", random.sample(partners, min(4, len(partners))))
        fields = replace(fields, "action", "save")
        with self.post_form(f"/programs/{pk}/edit/", fields, "web: program share") as response:
            if response.status_code == 200 and 'id="confirm-narrowing"' in response.text:
                # Narrowing asks first, naming who loses access; the user confirms, as in the browser.
                response.success()
                confirm, _options = read_form(response.text, "confirmed_losses")
                self.confirm_share(pk, replace(confirm, "action", "save"))
            elif response.status_code == 302 and (response.headers.get("Location") or "").endswith(f"/programs/{pk}/"):
                response.success()
            else:
                response.failure("the audience was not saved")

    def confirm_share(self, pk: int, fields: list[tuple[str, str]]):
        with self.post_form(f"/programs/{pk}/edit/", fields, "web: program share, confirmed") as response:
            if response.status_code == 302 and (response.headers.get("Location") or "").endswith(f"/programs/{pk}/"):
                response.success()
            else:
                response.failure("the narrowed audience was not saved")


class CommitteeExpert(Persona):
    """Lists, the IGO tables, the cooperation map, the dashboard, exports."""

    weight = 4
    account_kind = "committee"

    @task(4)
    def list_programs(self):
        self.program_list()

    @task(3)
    def read_program(self):
        self.program_detail()

    @task(3)
    def igo_tables(self):
        if random.random() < 0.6:
            self.client.get("/igo-tables/", name="web: IGO tables")
        else:
            self.client.get("/igo-tables/interactions/", name="web: IGO interactions")

    @task(2)
    def cooperation_map(self):
        level = random.choice(["continent", "continent", "subregion", "country"])
        self.client.get(f"/cooperation/?level={level}", name="web: cooperation map")

    @task(2)
    def home(self):
        self.dashboard()

    @task(1)
    def search_everything(self):
        self.search()

    @task(1)
    def export(self):
        if random.random() < 0.5:
            acronym = random.choice(["B2", "IRO-050", "IRO-120", "IRO-199"])
            self.client.get(f"/programs/export.csv?organization={acronym}", name="web: program export (CSV)")
        else:
            self.client.get("/igo-tables/export.xlsx", name="web: IGO tables export (XLSX)")


class ApiClient(Persona):
    """A script with a token: lists 50 at a time, pages, filters, reads single programs."""

    weight = 7
    account_kind = "api"

    def sign_in(self):
        self.headers = {"Authorization": f"Token {self.me['token']}", "Accept": "application/json"}

    @task(6)
    def list_programs(self):
        # Deep pages too, within what this client sees (a page past the last one is a 404).
        page = random.choice([1, 1, 1, 2, 3, random.randint(4, max(4, getattr(self, "last_page", 4)))])
        response = self.client.get(
            f"/api/v1/programs/?page_size=50&page={page}", headers=self.headers, name="api: program list (50)"
        )
        self.remember(response)
        with contextlib.suppress(ValueError, KeyError, TypeError):
            self.last_page = max(1, -(-response.json()["count"] // 50))

    @task(2)
    def filtered(self):
        response = self.client.get(
            f"/api/v1/programs/?page_size=50&status={random.choice(STATUSES)}&thematic_area="
            f"{random.choice(THEMATIC_AREAS)}",
            headers=self.headers,
            name="api: program list (50, filtered)",
        )
        self.remember(response)

    @task(3)
    def detail(self):
        if not self.program_ids:
            self.list_programs()
            return
        with self.client.get(
            f"/api/v1/programs/{random.choice(self.program_ids)}/",
            headers=self.headers,
            name="api: program detail",
            catch_response=True,
        ) as response:
            expect_visible_or_withdrawn(response)

    def remember(self, response):
        try:
            found = [row["id"] for row in response.json()["results"]]
        except (ValueError, KeyError, TypeError):
            return
        self.program_ids = (found + self.program_ids)[:200]
