"""Highlighting from the documents' snippet material: exact, synonym, typo, prefix and accent-folded words are
marked; only the fields a result shows are returned; the text is escaped. And a lesson's Markdown body
becomes plain text before it is indexed."""

from __future__ import annotations

from casebook.search.content import plain_text
from casebook.search.highlight import highlight_all, snippet_material
from casebook.search.query import clauses


def doc(**fields: str) -> dict[str, str]:
    out = {"title": "", "summary": "", "tags": "", "challenges": "", "lessons": "", "building_blocks": "",
           "partners": "", **fields}
    out["words"] = snippet_material(out)
    return out


def test_exact_typo_prefix_and_accent_folded_words_are_marked():
    docs = [doc(title="Concesión minera in Liberia", summary="The concessions & <b>mistrusted</b> hospitals.")]
    marked = highlight_all(docs, clauses("concesion mistrust hospi"))[0]
    assert marked["title"] == "<mark>Concesión</mark> minera in Liberia"
    # "concessions" is 2 edits from "concesion" (budget 2 from 9 letters); "mistrusted" is 2 edits from
    # "mistrust" (budget 1): not marked; "hospitals" starts with the word being typed.
    assert marked["summary"] == ("The <mark>concessions</mark> &amp; &lt;b&gt;mistrusted&lt;/b&gt; "
                                 "<mark>hospitals</mark>.")


def test_synonyms_mark_their_telling_words():
    marked = highlight_all([doc(summary="A multinational corporation and a village.")], clauses("TNC "))[0]
    assert marked == {"summary": "A <mark>multinational</mark> <mark>corporation</mark> and a village."}


def test_only_the_title_and_two_passages_are_marked():
    many = doc(title="Water for all", summary="Water pumps.", tags="water", challenges="water scarcity",
               lessons="Water is life.")
    marked = highlight_all([many], clauses("water "))[0]
    assert list(marked) == ["title", "summary", "tags"]


def test_material_made_before_it_existed_is_rebuilt():
    old = doc(summary="Grievance desks")
    old.pop("words")
    assert highlight_all([old], clauses("grievance "))[0] == {"summary": "<mark>Grievance</mark> desks"}


def test_a_long_field_shows_a_window_around_the_first_match():
    text = "word " * 200 + "fisheries cooperative " + "tail " * 200
    marked = highlight_all([doc(summary=text)], clauses("fisheries "))[0]["summary"]
    assert marked.startswith("…") and marked.endswith("…") and "<mark>fisheries</mark> cooperative" in marked
    assert len(marked) < 400


def test_words_inside_html_entities_are_never_marked():
    marked = highlight_all([doc(title="Amp & lt's amp <quot> x27")], clauses("amp lt quot x27 "))[0]
    assert marked["title"] == ("<mark>Amp</mark> &amp; <mark>lt</mark>&#x27;s <mark>amp</mark> "
                               "&lt;<mark>quot</mark>&gt; <mark>x27</mark>")


def test_a_markdown_body_becomes_the_words_a_reader_sees():
    body = "# Heading\n\nBuild **trust**\nacross lines [with a link](https://example.org/zymurgy).\n\n- `code` item"
    assert plain_text(body) == "Heading\nBuild trust across lines with a link.\ncode item"
