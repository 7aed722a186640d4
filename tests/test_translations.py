"""The interface speaks zh-hans: every message of the catalogue is translated and compiled."""

import gettext
import re
from pathlib import Path

import pytest

CATALOGUE = (
    Path(__file__).resolve().parent.parent / "minutes" / "locale" / "zh_Hans" / "LC_MESSAGES"
)


def po_string(match) -> str:
    joined = "".join(re.findall(r'"(.*)"', match.group(1)))
    return joined.replace('\\"', '"').replace("\\n", "\n")


def po_entries() -> dict[str, str]:
    """msgid -> msgstr (the first form for plurals) of the committed .po file."""
    text = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    entries = {}
    for block in text.split("\n\n")[1:]:
        if block.startswith("#~"):
            continue
        msgid = re.search(r'^msgid ((?:".*"\n)+)', block + "\n", re.M)
        msgstr = re.search(r'^msgstr(?:\[0\])? ((?:".*"\n?)+)', block + "\n", re.M)
        entries[po_string(msgid)] = po_string(msgstr)
    return entries


def test_every_message_has_a_chinese_translation():
    untranslated = [msgid for msgid, msgstr in po_entries().items() if msgid and not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in (CATALOGUE / "django.po").read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_po_file():
    with (CATALOGUE / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    for msgid, msgstr in po_entries().items():
        # Plural entries are looked up with ngettext by their two forms; the singular suffices.
        if msgid and "%(counter)s" not in msgid:
            assert catalogue.gettext(msgid) == msgstr, msgid


@pytest.mark.django_db
def test_pages_read_in_chinese_by_default_and_in_english_on_request(client):
    assert "浏览" in client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Browse" in english and "浏览" not in english
