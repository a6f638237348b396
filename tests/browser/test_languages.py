"""The six languages in a real browser: every main page, as each persona sees it, in ar, en, es, fr, ru, zh-hans.

One crawl (one browser, one context per persona, the demo world seeded once) visits every page of `VISITS` in
every language and records what the tests below check:

- **No English leftovers.** The text of a page in another language is compared with the same page in English: a
  piece of text found on both is a leftover, unless it is legitimately the same in both languages. What is
  legitimate is read from the page and the data, not from a list of strings in this file:
  * text inside an element marked `translate="no"` (the HTML attribute that tells translation tools to keep
    content as it is) — the templates mark user content that way: records' titles, summaries and notes,
    organization names, people's names, usernames, the language switcher's names of languages;
  * text without an English word (acronyms, codes such as OP3(c) or M49 050, numbers, dates in digits);
  * text the catalogue of that language deliberately renders as in English (a `msgstr` equal to its `msgid`,
    which the catalogue checks allow only with a `# keep:` reason), reference names whose translation is
    spelled as in English (Europe in French), and country names spelled the same (django-countries).
  The failure message sorts each leftover into "awaiting its catalogue translation" (the English text is a
  `msgid` of that catalogue, untranslated) or "not in the catalogue" (text the templates or code do not mark
  for translation, or a string marked since `make messages` last ran).
- **Every visible string is marked for translation**, whatever the catalogues hold today: the pages are read
  once more in a pseudo-language, French whose catalogue is extracted from the code at test time (`makemessages`,
  GNU gettext) and "translated" into look-alike letters (Ṗṛọġṛạṃṣ). English left on those pages comes from no
  catalogue: an unmarked string, or user content the templates do not mark `translate="no"`.
- **Right to left.** Arabic pages have `<html lang="ar" dir="rtl">`; every other page `dir="ltr"`.
- **No horizontal overflow.** `document.documentElement.scrollWidth <= clientWidth`: every page in every language
  at 1280 px (Russian and French are the longest), Arabic pages at 390 px as well.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils.dates import MONTHS, MONTHS_3, MONTHS_ALT, MONTHS_AP, WEEKDAYS, WEEKDAYS_ABBR
from django.utils.translation import override
from django_countries import countries

from confidentiality.models import Audience, State
from contacts.models import PointOfContact
from iros.models import Region, ThematicArea
from portal.devtools.demo.accounts import DEFAULT_DEMO_PASSWORD
from programs.models import Program
from tests.browser.searchable_select import choose_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TRANSLATED = [code for code in LANGUAGES if code != settings.LANGUAGE_CODE]
RIGHT_TO_LEFT = {"ar"}
WIDE, NARROW = 1280, 390
CATALOGUES = Path(settings.BASE_DIR) / "locale"
# An English word: three letters or more with a lowercase one (acronyms such as OSCE or IAEA are not words).
WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]{2,}")


# --- what the crawl visits ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    """A page as one persona sees it: `path` is a URL or a function of the seeded world giving one; `action`
    runs on the loaded page before it is read (fill a form, ask for a preview)."""

    name: str
    persona: str | None  # a demo account's username; None: signed out
    path: str | Callable[[], str]
    action: Callable | None = None

    def url(self) -> str:
        return self.path() if callable(self.path) else self.path


def _program_of(acronym: str, **filters) -> Callable[[], str]:
    def path() -> str:
        program = (
            Program.objects.filter(organization__acronym=acronym, state=State.SUBMITTED, **filters)
            .exclude(regions=None)
            .exclude(thematic_areas=None)
            .order_by("pk")
            .first()
        )
        return program.get_absolute_url()

    return path


def _contact_of(acronym: str) -> Callable[[], str]:
    def path() -> str:
        return PointOfContact.objects.filter(organization__acronym=acronym).order_by("pk").first().get_absolute_url()

    return path


def _preview_the_audience(page) -> None:
    page.fill("#id_title", "Regional workshop on proliferation financing")
    page.fill("#id_summary", "Financial intelligence units and supervisors of the OSCE area.")
    page.check("input[name=audience][value=selected]")
    choose_in(page, "id_shared_with", "FATF", "FATF")
    choose_in(page, "id_shared_with", "UNODC", "UNODC")
    with page.expect_navigation():
        page.click("#preview-button")
    page.locator("#preview-reach").wait_for()


VISITS: tuple[Visit, ...] = (
    # signed out
    Visit("landing", None, "/"),
    Visit("sign-in", None, "/accounts/login/"),
    Visit("organizations", None, "/organizations/"),
    Visit("organization-profile", None, "/organizations/OSCE/"),
    Visit("events", None, "/events/"),
    Visit("coordinators", None, "/coordinators/"),
    # an IRO member (UNODC)
    Visit("dashboard-member", "member", "/"),
    Visit("program-list", "member", "/programs/"),
    Visit("program-detail", "member", _program_of("UNODC")),
    Visit("contact-list", "member", "/contacts/"),
    Visit("contact-detail", "member", _contact_of("UNODC")),
    Visit("profile", "member", "/accounts/profile/"),
    Visit("api-tokens", "member", "/accounts/tokens/"),
    Visit("password-change", "member", "/accounts/password/change/"),
    # an IRO focal point (OSCE)
    Visit("dashboard-focal-point", "focal", "/"),
    Visit("program-form-preview", "focal", "/programs/new/", _preview_the_audience),
    # a Committee expert
    Visit("dashboard-committee", "expert", "/"),
    Visit("igo-tables", "expert", "/igo-tables/"),
    Visit("igo-organization", "expert", "/igo-tables/OSCE/"),
    Visit("cooperation-map", "expert", "/cooperation/"),
    Visit("search-results", "expert", "/search/?q=security"),
    Visit("demarches", "expert", "/contacts/demarches/"),
)


# --- reading a page ----------------------------------------------------------------------------------------------

# Every piece of text a reader meets: text nodes (hidden ones too: a closed menu opens), the title, and the
# attributes people read or hear (placeholders, accessible names, button values). Left out: text inside
# `translate="no"` (user content), a textarea's (what the user typed), code samples (`code`, `kbd`, `samp`: an
# HTTP header is written the same in every language) and scripts' and styles'.
PAGE_TEXT = """() => {
  const skipped = '[translate="no"], textarea, code, kbd, samp, script, style, noscript, template';
  const kept = (element) => !element.closest(skipped);
  // The title names a record as the page does: user content marked on the page is user content in the title.
  let title = document.title;
  for (const element of document.body.querySelectorAll('[translate="no"]')) {
    const content = element.textContent.trim();
    if (content.length > 2) title = title.split(content).join(' ');
  }
  const texts = [title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement && kept(node.parentElement)) texts.push(node.nodeValue);
  }
  const attributes = '[placeholder], [aria-label], [alt], input[type=submit][value], input[type=button][value]';
  for (const element of document.body.querySelectorAll(attributes)) {
    if (!kept(element)) continue;
    for (const name of ['placeholder', 'aria-label', 'alt']) {
      if (element.hasAttribute(name)) texts.push(element.getAttribute(name));
    }
    if (element.matches('input[type=submit], input[type=button]')) texts.push(element.value);
  }
  return texts.map((text) => text.replace(/\\s+/g, ' ').trim()).filter((text) => text);
}"""

LAYOUT = """() => ({
  lang: document.documentElement.lang,
  dir: document.documentElement.dir,
  scrollWidth: document.documentElement.scrollWidth,
  clientWidth: document.documentElement.clientWidth,
})"""


@dataclass
class Seen:
    """What one visit showed in one language."""

    texts: list[str]
    lang: str
    dir: str
    overflow: dict[int, tuple[int, int]] = field(default_factory=dict)  # width → (scrollWidth, clientWidth)


def _widths(page, widths: tuple[int, ...]) -> dict[int, tuple[int, int]]:
    found = {}
    for width in widths:
        if page.viewport_size["width"] != width:
            page.set_viewport_size({"width": width, "height": 900})
        layout = page.evaluate(LAYOUT)
        found[width] = (layout["scrollWidth"], layout["clientWidth"])
    if page.viewport_size["width"] != WIDE:
        page.set_viewport_size({"width": WIDE, "height": 900})
    return found


def crawl(browser, base_url: str, *, visits=VISITS, languages=LANGUAGES, password=DEFAULT_DEMO_PASSWORD) -> dict:
    """{(visit name, language): Seen} for every visit in every language, one browser context per persona."""
    pages = {}
    contexts = []
    try:
        for persona in dict.fromkeys(visit.persona for visit in visits):
            context = browser.new_context(base_url=base_url, viewport={"width": WIDE, "height": 900})
            contexts.append(context)
            page = context.new_page()
            page.set_default_timeout(20_000)
            if persona:
                page.goto("/accounts/login/")
                page.fill("input[name=username]", persona)
                page.fill("input[name=password]", password)
                with page.expect_navigation():
                    page.locator("form:has(input[name=password]) [type=submit]").first.click()
                assert "/accounts/login/" not in page.url, f"{persona} could not sign in"
            pages[persona] = page
        seen = {}
        for language in languages:
            for page in pages.values():
                page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}])
            for visit in visits:
                page = pages[visit.persona]
                response = page.goto(visit.url(), wait_until="domcontentloaded")
                assert response.status == 200, (visit.name, language, response.status)
                if visit.action is not None:
                    visit.action(page)
                layout = page.evaluate(LAYOUT)
                widths = (WIDE, NARROW) if language in RIGHT_TO_LEFT else (WIDE,)
                seen[visit.name, language] = Seen(
                    texts=page.evaluate(PAGE_TEXT),
                    lang=layout["lang"],
                    dir=layout["dir"],
                    overflow=_widths(page, widths),
                )
        return seen
    finally:
        for context in contexts:
            context.close()


# --- what may stay as in English ---------------------------------------------------------------------------------


def _catalogue(language: str) -> polib.POFile | None:
    path = CATALOGUES / language.replace("-hans", "_Hans") / "LC_MESSAGES" / "django.po"
    return polib.pofile(str(path)) if path.exists() else None


def same_as_english(language: str) -> set[str]:
    """Text that is legitimately the same in `language` as in English, from the catalogues and the data."""
    same = set()
    catalogue = _catalogue(language)
    for entry in catalogue or []:
        if entry.msgstr and entry.msgstr == entry.msgid:
            same.add(entry.msgid)
        # A plural form written as in English ("%(counter)s tokens" in Spanish): its words, around the number.
        english = {entry.msgid, entry.msgid_plural}
        for form in entry.msgstr_plural.values() if entry.msgid_plural else ():
            if form in english:
                same |= {piece.strip() for piece in PLACEHOLDER_OR_TAG.split(form) if WORD.search(piece)}
    for row in [*Region.objects.all(), *ThematicArea.objects.all()]:
        if row.name_in(language) == row.name:
            same.add(row.name)
    with override(language):
        translated = {code: str(name) for code, name in countries}
        dates = {key: str(name) for key, name in _date_words()}
    with override(settings.LANGUAGE_CODE):
        same |= {str(name) for code, name in countries if translated[code] == str(name)}
        for key, name in _date_words():
            if dates[key] == str(name):
                same |= {str(name), str(name).title()}
    return same


def _date_words():
    """Django's names of months and weekdays (its own catalogues translate them: French writes "Jan" too)."""
    for table in (MONTHS, MONTHS_3, MONTHS_AP, MONTHS_ALT, WEEKDAYS, WEEKDAYS_ABBR):
        for number, name in table.items():
            yield (id(table), number), name


def leftovers(seen: dict, language: str, allowed: set[str]) -> dict[str, list[str]]:
    """{visit name: English text found on the page in `language` that should not be there}; `allowed`: text
    legitimately the same as in English (`same_as_english`), which may also be part of a longer text
    ("Europe: 5" is a chart's label and count)."""
    legitimate = re.compile(
        "|".join(rf"(?<!\w){re.escape(text)}(?!\w)" for text in sorted(allowed, key=len, reverse=True)) or "(?!)"
    )
    found = {}
    for (name, seen_language), page in seen.items():
        if seen_language != language:
            continue
        english = set(seen[name, settings.LANGUAGE_CODE].texts)
        left = sorted({text for text in page.texts if text in english and WORD.search(legitimate.sub(" ", text))})
        if left:
            found[name] = left
    return found


# A piece of text is made of runs of words between numbers and punctuation. A run comes from the catalogue when it
# is part of a msgid's literal text, holds one (a placeholder filled with a name around it), or is a whole msgid
# with its placeholders filled: text nodes split a msgid around its tags, and placeholders put numbers and names
# in it.
RUN_SEPARATORS = re.compile(r"[\d·—–:;,.()\[\]→×✗✓|/+…“”\"]+")
PLACEHOLDER_OR_TAG = re.compile(r"%\([^)]+\)[sdr]|%[sd]|\{[A-Za-z_]\w*\}|<[^>]+>")


def _filled_pattern(msgid: str) -> re.Pattern:
    """A msgid with placeholders as a pattern its filled-in text matches, or the part of it in one text node (a
    tag may split it: the pattern is open where the msgid starts or ends with a tag or a placeholder)."""
    pieces = PLACEHOLDER_OR_TAG.split(msgid)
    body = ".*?".join(re.escape(piece.strip()) for piece in pieces)
    start = "" if pieces[0].strip() else ".*?"
    end = "" if pieces[-1].strip() else ".*?"
    return re.compile(f"{start}{body}{end}")


def explain(language: str, found: dict[str, list[str]]) -> str:
    """The leftovers sorted into those the catalogue's translations will fix and those they will not."""
    catalogue = _catalogue(language)
    msgids = [text for entry in catalogue or [] for text in (entry.msgid, entry.msgid_plural) if text]
    pieces = {piece.strip() for msgid in msgids for piece in PLACEHOLDER_OR_TAG.split(msgid) if piece.strip()}
    all_pieces = "\n".join(pieces)
    worded = re.compile(
        "|".join(re.escape(piece) for piece in sorted(pieces, key=len, reverse=True) if WORD.search(piece)) or "(?!)"
    )
    filled = [_filled_pattern(msgid) for msgid in msgids if PLACEHOLDER_OR_TAG.search(msgid)]

    def run_from_catalogue(run: str) -> bool:
        return run in all_pieces or worded.search(run) is not None

    def from_catalogue(text: str) -> bool:
        runs = [run.strip() for run in RUN_SEPARATORS.split(text) if WORD.search(run)]
        return all(run_from_catalogue(run) for run in runs) or any(pattern.fullmatch(text) for pattern in filled)

    awaiting, elsewhere = defaultdict(list), defaultdict(list)
    for name, texts in found.items():
        for text in texts:
            (awaiting if from_catalogue(text) else elsewhere)[text].append(name)
    lines = [f"{language}: English left on {len(found)} of {len(VISITS)} pages."]
    lines.append(f"Not from the catalogue (mark it for translation, or it is unmarked user content): {len(elsewhere)}")
    lines += [f"  {text!r} on {', '.join(names)}" for text, names in sorted(elsewhere.items())]
    lines.append(f"From the catalogue, awaiting its translation: {len(awaiting)}")
    lines += [f"  {text!r}" for text in sorted(awaiting)[:40]]
    if len(awaiting) > 40:
        lines.append(f"  … and {len(awaiting) - 40} more")
    return "\n".join(lines)


# --- a pseudo-language: every marked string, none translated by a person ----------------------------------------

PSEUDO = "pseudo"
PSEUDO_SLOT = "fr"  # the language whose catalogue the pseudo-language replaces while it is read
LOOK_ALIKES = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "ạḅċḍẹḟġḥịĵḳḷṃṇọṗʠṛṣṭụṿẉẋỵẓẠḄĊḌẸḞĠḤỊĴḲḶṂṆỌṖǪṚṢṬỤṾẈẊỴẒ",
)


def _pseudo(text: str) -> str:
    """`text` in look-alike letters, its placeholders and tags kept as they are."""
    return "".join(
        piece if PLACEHOLDER_OR_TAG.fullmatch(piece) else piece.translate(LOOK_ALIKES)
        for piece in re.split(f"({PLACEHOLDER_OR_TAG.pattern})", text)
    )


def pseudo_catalogue(directory: Path) -> Path:
    """A catalogue of every string the code marks today (what `make messages` extracts), in look-alikes, under
    `directory`/locale. makemessages writes beside the `locale` folder of the tree it reads, so it reads a copy
    of the code without one: the repository's catalogues are never touched."""
    source = directory / "source"
    shutil.copytree(
        settings.BASE_DIR,
        source,
        ignore=shutil.ignore_patterns(".*", "locale", "tests", "staticfiles", "bench", "docs", "media", "__pycache__"),
    )
    locale = directory / "locale"
    with override_settings(LOCALE_PATHS=[str(locale)]), contextlib.chdir(source):
        call_command("makemessages", locale=[PSEUDO_SLOT], add_location="never", verbosity=0)
    path = locale / PSEUDO_SLOT / "LC_MESSAGES" / "django.po"
    catalogue = polib.pofile(str(path))
    for entry in catalogue:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: _pseudo(entry.msgid), 1: _pseudo(entry.msgid_plural)}
        else:
            entry.msgstr = _pseudo(entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalogue.save_as_mofile(str(path.with_suffix(".mo")))
    return locale


# --- the crawl, once for every test of this module ---------------------------------------------------------------


@dataclass
class Sweep:
    seen: dict  # (visit name, language) → Seen
    same: dict  # language → text legitimately the same as in English


_CRAWL: list[Sweep | Exception] = []


def demo_world() -> None:
    """The reference data and a small demo world (accounts, programs, contacts, demarches, interactions)."""
    call_command("seed_reference", verbosity=0)
    call_command("seed_demo", programs=24, verbosity=0)
    # A program of each demo organization tagged with regions and thematic areas, for the detail page.
    for acronym in ("UNODC", "OSCE"):
        program = Program.objects.filter(organization__acronym=acronym, state=State.SUBMITTED).order_by("pk").first()
        program.regions.add(Region.objects.get(code="143"))
        program.thematic_areas.add(*ThematicArea.objects.filter(code__in=("op3c", "training")))
    assert Program.objects.filter(audience=Audience.SELECTED).exists()


@pytest.fixture
def sweep(browser, live_server, tmp_path_factory) -> Sweep:
    """The crawl's findings: the first test that asks seeds the world and crawls, the others reuse what it found
    (each test has a fresh database, so the world would be gone; its findings are kept). A crawl that failed is
    not tried again by every test."""
    if not _CRAWL:
        try:
            _CRAWL.append(_sweep(browser, live_server, tmp_path_factory))
        except Exception as error:
            _CRAWL.append(error)
            raise
    if isinstance(_CRAWL[0], Exception):
        pytest.fail(f"the crawl failed: {_CRAWL[0]!r}", pytrace=False)
    return _CRAWL[0]


def _sweep(browser, live_server, tmp_path_factory) -> Sweep:
    demo_world()
    seen = crawl(browser, live_server.url)
    if shutil.which("xgettext"):
        locale = pseudo_catalogue(tmp_path_factory.mktemp("pseudo"))
        with override_settings(LOCALE_PATHS=[str(locale)]):
            pseudo = crawl(browser, live_server.url, languages=[PSEUDO_SLOT])
        seen |= {(name, PSEUDO): page for (name, _language), page in pseudo.items()}
    return Sweep(seen=seen, same={language: same_as_english(language) for language in TRANSLATED})


# --- the checks --------------------------------------------------------------------------------------------------


def test_every_page_names_its_language_and_direction(sweep):
    wrong = {
        (name, language): (seen.lang, seen.dir)
        for (name, language), seen in sweep.seen.items()
        if language != PSEUDO and (seen.lang, seen.dir) != (language, "rtl" if language in RIGHT_TO_LEFT else "ltr")
    }
    assert {language for _name, language in sweep.seen} >= set(LANGUAGES)

    assert wrong == {}


def test_arabic_pages_do_not_overflow_at_1280_and_390_px(sweep):
    arabic = {name: seen.overflow for (name, language), seen in sweep.seen.items() if language in RIGHT_TO_LEFT}
    overflowing = {
        (name, width): sizes
        for name, widths in arabic.items()
        for width, sizes in widths.items()
        if sizes[0] > sizes[1]
    }

    assert all(set(widths) == {WIDE, NARROW} for widths in arabic.values())
    assert overflowing == {}


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code not in RIGHT_TO_LEFT])
def test_no_page_overflows_at_1280_px(sweep, language):
    overflowing = {
        name: seen.overflow[WIDE]
        for (name, seen_language), seen in sweep.seen.items()
        if seen_language == language and seen.overflow[WIDE][0] > seen.overflow[WIDE][1]
    }

    assert overflowing == {}


def test_the_english_pages_were_read(sweep):
    # The comparison means something only if the English pages have text to compare with.
    for visit in VISITS:
        assert len(sweep.seen[visit.name, "en"].texts) > 20, visit.name


def test_every_visible_string_is_marked_for_translation(sweep):
    if not any(language == PSEUDO for _name, language in sweep.seen):
        pytest.skip("GNU gettext (xgettext) is not installed: no catalogue can be extracted")

    # What is the same in French as in English (country and region names) is the same in the pseudo-French.
    found = leftovers(sweep.seen, PSEUDO, sweep.same[PSEUDO_SLOT])

    if found:
        pytest.fail(explain(PSEUDO, found), pytrace=False)


@pytest.mark.parametrize("language", TRANSLATED)
def test_no_english_is_left_on_the_pages(sweep, language):
    found = leftovers(sweep.seen, language, sweep.same[language])

    if found:
        pytest.fail(explain(language, found), pytrace=False)
