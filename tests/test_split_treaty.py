"""RCEP chapter 11 as extracted from the PDF: structure, footnotes and artefact cleaning.

Expected values were read off the treaty text itself (the shared file and its README)."""
import re

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from rongzhi.core.settings import Settings
from rongzhi.ingest.split_treaty import count_articles, split_treaty

TREATY = Settings.from_env().treaty_dir / "RCEP-ch11-intellectual-property.en.txt"
DOC = {"doc_id": "rcep", "title": "区域全面经济伙伴关系协定（RCEP）第十一章 知识产权", "kind": "国际条约",
       "version_date": "2020-11-15"}

pytestmark = pytest.mark.skipif(not TREATY.is_file(), reason="treaty directory not available")


@pytest.fixture(scope="module")
def source():
    return TREATY.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def chunks(source):
    return split_treaty(source, DOC, str(TREATY))


def units(chunks, locator):
    found = [c for c in chunks if c.locator == locator]
    assert found, locator
    return found


def test_83_articles_and_two_annexes_in_order(chunks):
    assert count_articles(chunks) == 83
    locators = list(dict.fromkeys(c.locator for c in chunks))
    assert locators == [f"第11.{n}条" for n in range(1, 84)] + ["附件11A", "附件11B"]
    assert [c.ordinal for c in chunks] == list(range(len(chunks)))


def test_offsets_point_into_the_original_file(source, chunks):
    previous_end = 0
    for c in chunks:
        assert source[c.start:c.end] == c.text and c.text.strip()
        assert c.start >= previous_end  # parts and units never overlap
        previous_end = c.end
    for c in chunks:
        if c.part <= 1:
            first = c.text.split("\n", 1)[0]
            assert first.startswith(f"Article 11.{c.locator[4:-1]}:") or first.startswith("ANNEX 11")


def test_section_paths_and_headings(chunks):
    assert units(chunks, "第11.1条")[0].section_path == ["Section A: General Provisions and Basic Principles"]
    assert units(chunks, "第11.55条")[0].section_path == ["Section H: Unfair Competition"]
    assert units(chunks, "第11.53条")[0].section_path == ["Section G: Genetic Resources, Traditional Knowledge, and Folklore"]
    assert units(chunks, "第11.60条")[0].section_path == ["Section J: Enforcement of Intellectual Property Rights",
                                                         "Subsection 2: Civil Remedies"]
    assert units(chunks, "第11.66条")[0].section_path[-1] == "Subsection 3: Border Measures"
    assert units(chunks, "第11.83条")[0].section_path == ["Section N: Procedural Matters"]
    assert units(chunks, "附件11A")[0].section_path == []
    headings = {c.locator: c.heading for c in chunks}
    assert headings["第11.55条"] == "Domain Names"
    assert headings["第11.3条"] == "Relation to Other Agreements"  # footnote 1 was glued to it
    assert headings["第11.48条"] == "Protection of New Varieties of Plants"  # …Plants38
    assert headings["第11.44条"] == "18-Month Publication"
    assert headings["第11.65条"] == ("Suspension of the Release of Suspected Pirated Copyright Goods or Counterfeit "
                                    "Trademark Goods by Right Holder’s Application")
    assert headings["附件11A"] == "Party-Specific Transition Periods"
    assert headings["附件11B"] == "List of Technical Assistance Requests"


def test_every_footnote_is_attached_once_to_the_unit_that_calls_it(chunks):
    attached = [(int(n), c.locator) for c in chunks for n in re.findall(r"^Footnote (\d+):", c.display, re.M)]
    assert sorted(n for n, _ in attached) == list(range(1, 69))
    where = dict(attached)
    # Footnote 1's text sits at the bottom of the page inside Article 11.5; Article 11.3 calls it.
    assert where[1] == "第11.3条" and where[17] == "第11.22条" and where[45] == "第11.55条"
    assert where[41] == "第11.53条"  # called from the Section G heading (FOLKLORE41)
    assert where[47] == "第11.59条"  # called from the Subsection 2 heading (CIVIL REMEDIES47)
    art5 = units(chunks, "第11.5条")[0]
    assert "For the purposes of the application of this Article" in art5.text  # physically there …
    assert "For the purposes of the application" not in art5.display  # … but not part of 11.5
    domain = units(chunks, "第11.55条")[0]
    assert domain.display.endswith("Footnote 45: The Parties understand that such remedies may, but need not, "
                                   "include, among other things, revocation, cancellation, transfer, damages, "
                                   "or injunctive relief.")


def test_artefacts_are_cleaned_in_what_is_shown_and_matched(chunks):
    for c in chunks:
        for text in (c.display, c.norm):
            assert "=== PDF page" not in text
            assert not re.search(r"^11[AB]?-\d+\s*$", text, re.M)
            assert not re.search(r"[a-z]\d{1,2}\b", text.replace("ccTLD", "")), (c.locator, text)
    decisions = units(chunks, "第11.22条")
    assert any("administrative decisions in opposition, revocation, cancellation, or invalidation proceedings shall "
               "be reasoned and in writing." in c.display for c in decisions)
    assert not any("decisions17" in c.display for c in decisions) and any("decisions17" in c.text for c in decisions)
    # A hyphen at a line end joins the next line without a space (Micro-\norganisms).
    assert "International Recognition of the Deposit of Micro-organisms for the Purposes of Patent Procedure" in \
        "".join(c.display for c in units(chunks, "第11.9条"))
    # A sentence broken by a page (footnote 5 and a page marker in between) reads on.
    art10 = units(chunks, "第11.10条")[0]
    assert ("the exclusive right to authorise the making available to the public of their performances fixed in "
            "phonograms and phonograms, respectively") in art10.display


def test_a_few_texts_exactly(chunks):
    assert units(chunks, "第11.6条")[0].display == (
        "Each Party shall be free to establish its own regime for exhaustion of intellectual property rights.")
    assert units(chunks, "第11.42条")[0].display == (
        "The Parties recognise the benefits of patent grace periods to disregard certain public disclosures of "
        "inventions when determining if an invention is novel in order to support innovation.")
    domain = units(chunks, "第11.55条")[0].display.split("\n")
    assert domain[0].startswith("In connection with its system for the management of its country code top-level "
                                "domain (ccTLD) domain names")
    assert domain[-2] == ("(b) appropriate remedies, at least in cases in which a person registers or holds, with a "
                          "bad faith intent to profit, a domain name that is identical or confusingly similar to a "
                          "trademark.")
    collective = units(chunks, "第11.20条")[0]
    assert collective.display.startswith("1. Each Party shall provide that trademarks include collective marks and "
                                         "certification marks.")
    # What is matched is the shown text plus the Chinese terms of ingest/data/treaty_terms.tsv.
    assert collective.norm.split("\n")[:-1] == collective.display.split("\n")
    assert collective.norm.split("\n")[-1] == "集体商标 证明商标"
    assert "驰名商标" in units(chunks, "第11.26条")[0].norm and "驰名商标" not in units(chunks, "第11.26条")[0].display


def test_long_articles_split_at_numbered_paragraphs_keeping_the_locator(chunks):
    parts = units(chunks, "第11.9条")
    assert [c.part for c in parts] == [1, 2, 3]
    # Paragraph 1 alone is too long: it is cut before its item (f); paragraph 3 starts a part.
    assert [c.display[:3] for c in parts] == ["1. ", "(f)", "3. "]
    for c in chunks:
        if c.part > 1 and not c.locator.startswith("附件"):
            assert re.match(r"(\d{1,2}\. |\([a-z]+\) )", c.display), (c.locator, c.part)
    assert all(c.heading == "Multilateral Agreements" for c in parts)
    assert [c.part for c in units(chunks, "第11.55条")] == [0]  # short: one unit
    annex = units(chunks, "附件11A")
    assert len(annex) > 1 and annex[0].display.startswith("For the purposes of this Annex:")
    assert any(c.display.startswith("Viet Nam:") for c in annex)
    assert all(len(c.display) < 2600 for c in chunks)


@hsettings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Article 11.2: SECTION A\n 1 (a) ===PDF page 3 ===x-11-1.,")), max_size=300))
def test_never_fails_on_odd_text(text):
    for c in split_treaty(text, DOC, "x"):
        assert text[c.start:c.end] == c.text
