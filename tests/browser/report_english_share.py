"""How much of each language's visible text is still the same as on the English page (issue 10's figure).

Not part of `make test` (its name does not start with `test_`): run it with
`TEST_DATABASE_NAME=test_portal_share .venv/bin/pytest -p no:xdist -q -s tests/browser/report_english_share.py`.
It reuses the six-language sweep's crawl (tests/browser/test_languages.py) and prints, per language, the share of
the visible text's characters found verbatim among the English page's texts, and the most frequent such texts
(what they are says why they are legitimate: acronyms, codes, numbers, names, user content).
"""

from collections import Counter

import pytest

from tests.browser.test_languages import TRANSLATED, sweep  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_report_the_share_of_text_matching_english(sweep):  # noqa: F811
    print()
    for language in TRANSLATED:
        total = same = 0
        matches: Counter = Counter()
        for (name, seen_language), seen in sweep.seen.items():
            if seen_language != language:
                continue
            english = set(sweep.seen[name, "en"].texts)
            for text in seen.texts:
                total += len(text)
                if text in english:
                    same += len(text)
                    matches[text] += 1
        common = ", ".join(f"{text!r}×{count}" for text, count in matches.most_common(12))
        print(f"{language}: {same / total:.1%} of {total:,} characters match English; most frequent: {common}")
