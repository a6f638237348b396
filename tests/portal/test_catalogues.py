"""The five catalogues are complete, compiled from what they say, and use each language's glossary (docs/i18n.md).

English is the source language. For every other language, `locale/<language>/LC_MESSAGES/django.po` must translate
every entry (no empty and no fuzzy `msgstr`), keep every placeholder, and render each glossary term
(`locale/<language>/glossary.tsv`) the way the glossary says, so "point of contact" is one thing across the portal.
"""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = ["ar", "es", "fr", "ru", "zh_Hans"]

# The UN terms every glossary must fix (issue 10); a glossary may add more.
REQUIRED_TERMS = {
    "Security Council",
    "1540 Committee",
    "resolution 1540 (2004)",
    "point of contact",
    "points of contact",
    "assistance",
    "non-State actors",
}

# `%(name)s`, `%s`, `%d`, `%%` (python-format) and `{name}` (str.format): a translator may move them, never change them.
PERCENT_PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
BRACE_PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
COUNTS = {"%(count)s", "%(count)d", "%(counter)s", "%(counter)d", "{count}"}

# A msgstr identical to its msgid is a forgotten entry unless the English text is a name or code that every language
# writes the same way (nothing but acronyms, codes, numbers and punctuation), or the translator says why with a
# `# keep: <reason>` comment on the entry.
WORD = re.compile(r"[A-Za-z]*[a-z][A-Za-z]{2,}")


def load(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"), wrapwidth=0)


def live_entries(catalogue):
    return [entry for entry in catalogue if not entry.obsolete and entry.msgid]


def translations(entry):
    if entry.msgid_plural:
        return [text for _, text in sorted(entry.msgstr_plural.items())]
    return [entry.msgstr]


def read_glossary(language):
    """`term<TAB>form | form …` per line: the accepted renderings (inflected forms) of one English term."""
    path = LOCALE / language / "glossary.tsv"
    glossary = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        term, _, forms = line.partition("\t")
        accepted = [form.strip() for form in forms.split("|") if form.strip()]
        assert term.strip() and accepted, f"{path.name} line {number}: expected 'term<TAB>form | form'"
        glossary[term.strip()] = accepted
    return glossary


def placeholders(text):
    return sorted(PERCENT_PLACEHOLDER.findall(text)) + sorted(BRACE_PLACEHOLDER.findall(text))


def describe(entry):
    return entry.msgid[:80]


@pytest.fixture(scope="module", params=LANGUAGES)
def catalogue(request):
    return request.param, load(request.param)


def test_every_entry_is_translated(catalogue):
    language, po = catalogue
    missing = [describe(entry) for entry in live_entries(po) if not all(text.strip() for text in translations(entry))]

    assert missing == [], f"{language}: {len(missing)} untranslated entries"


def test_no_entry_is_fuzzy(catalogue):
    language, po = catalogue
    fuzzy = [describe(entry) for entry in live_entries(po) if "fuzzy" in entry.flags]

    assert fuzzy == [], f"{language}: {len(fuzzy)} fuzzy entries (check them, then drop the flag)"


def test_every_translation_keeps_the_placeholders_of_its_source(catalogue):
    language, po = catalogue
    wrong = []
    for entry in live_entries(po):
        for text in translations(entry):
            if not text:
                continue
            found = placeholders(text)
            if entry.msgid_plural:
                # A plural form may leave the count out (Arabic says "one" and "two" in words) but keep every other
                # placeholder and invent none.
                allowed = set(placeholders(entry.msgid) + placeholders(entry.msgid_plural))
                required = {name for name in allowed if name not in COUNTS and ("(" in name or "{" in name)}
                if not set(found) <= allowed or not required <= set(found):
                    wrong.append((describe(entry), text))
            elif placeholders(entry.msgid) != found:
                wrong.append((describe(entry), text))

    assert wrong == [], f"{language}: placeholders differ from the source"


def test_no_translation_is_left_in_english(catalogue):
    language, po = catalogue
    english = [
        describe(entry)
        for entry in live_entries(po)
        if entry.msgstr == entry.msgid and WORD.search(entry.msgid) and "keep:" not in (entry.tcomment or "")
    ]

    assert english == [], f"{language}: entries left in English (translate them or say why with '# keep: …')"


def test_the_glossary_names_the_un_terms(catalogue):
    language, _ = catalogue

    assert set(read_glossary(language)) >= REQUIRED_TERMS


def test_every_glossary_term_is_translated_as_the_glossary_says(catalogue):
    language, po = catalogue
    glossary = read_glossary(language)
    patterns = {term: re.compile(rf"(?<![\w-]){re.escape(term)}(?![\w-])", re.IGNORECASE) for term in glossary}
    inconsistent = []
    for entry in live_entries(po):
        for term, pattern in patterns.items():
            if not pattern.search(entry.msgid):
                continue
            for text in translations(entry):
                if text and not any(form.casefold() in text.casefold() for form in glossary[term]):
                    inconsistent.append((term, describe(entry), text))

    assert inconsistent == [], f"{language}: glossary terms rendered otherwise"
