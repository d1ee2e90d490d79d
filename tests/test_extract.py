"""Extraction quality: seeds, encodings, the fixture set, comments and non-article pages."""

from __future__ import annotations

import codecs
from datetime import datetime, timezone
from pathlib import Path

import pytest

from monitor.extract import (
    clean_text,
    decode_html,
    drop_headline,
    evaluate_extraction,
    extract_page,
    score,
)

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "data" / "extraction"
SEED_000 = "000_3089e8b34c872a70"
SEED_003 = "003_a5c97dfcc15387b1"
ARABIC_NAV = "صدى البلد البلد سبورت قناة صدى البلد صدى البلد جامعات صدى البلد عقارات"
QUOTE = (
    "“I think we need evidence that Putin actually wants peace, and at the moment, "
    "I don’t see that,”"
)
# Reader comments used in the fixtures' comment sections: never part of the article.
COMMENT_TEXTS = (
    "This is exactly what we have been asking for years",
    "I'll believe it when I see it",
    "Does anyone know whether this affects the east side",
    "Great reporting as always",
    "Follow the money",
    "My neighbour was affected by this last year",
)

PAGE = """<!DOCTYPE html><html{lang}><head><meta charset="{charset}">
<title>{title}</title>{meta}</head><body>
<header><nav><a href="/">Home</a> <a href="/world">World</a></nav></header>
<article><h1>{title}</h1>{body}</article><footer>&copy; 2026 Example News</footer></body></html>"""
ENGLISH = (
    "<p>The city council voted on Tuesday to extend the opening hours of the central library, "
    "after residents gathered more than four thousand signatures in support of the change.</p>"
    "<p>Officials said the extra hours would be paid for from the reserve fund and that two new "
    "librarians would be hired before the start of the spring term in March.</p>"
)
FRENCH = (
    "<p>Le conseil municipal a voté mardi la prolongation des horaires de la bibliothèque "
    "centrale, après une pétition signée par plus de quatre mille habitants de la ville.</p>"
    "<p>Les élus ont indiqué que les heures supplémentaires seraient financées par le fonds de "
    "réserve et que deux bibliothécaires seraient recrutés avant le printemps.</p>"
)


def page(
    body: str = ENGLISH,
    *,
    title: str = "Library hours extended",
    lang: str = "",
    charset: str = "utf-8",
    meta: str = "",
) -> str:
    """A small article page for unit tests."""
    return PAGE.format(lang=lang, charset=charset, title=title, meta=meta, body=body)


def seed_body(name: str) -> str:
    """The article body of a seed text: the 000 seed's site furniture and byline lines dropped."""
    lines = (SEEDS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    if name == SEED_000:
        lines = lines[lines.index("By Ahmad El-Assasy") + 1 :]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def seed_000():
    return extract_page(
        (SEEDS / "site" / f"{SEED_000}.html").read_bytes(),
        url="https://www.elbalad.news/english/uk-rejects-france-italy-push-putin",
    )


@pytest.fixture(scope="module")
def fixture_eval():
    return evaluate_extraction(FIXTURES)


def test_seed_000_body_without_furniture(seed_000):
    assert seed_000 is not None
    text = seed_000.text
    assert "I think we need evidence that Putin actually wants peace" in text
    assert QUOTE in text
    for furniture in (
        "Editor in Chief",
        "Supervisor",
        ARABIC_NAV,
        "صدى البلد",
        "Related News",
        "Most Read",
        "All rights reserved",
        "Read also",
    ):
        assert furniture not in text
    assert all(line.strip().lower() != "ads" for line in text.splitlines())
    assert not text.startswith("By Ahmad")


def test_seed_000_metadata(seed_000):
    assert (
        seed_000.title
        == "UK Rejects France and Italy’s Push for Diplomatic Re-engagement with Putin"
    )
    assert seed_000.published_at == datetime(2026, 1, 16, 12, 21, tzinfo=timezone.utc)
    assert seed_000.published_at.tzinfo is not None
    assert seed_000.author == "Ahmad El-Assasy"
    assert seed_000.site_name == "Sada El Balad"
    assert seed_000.language == "en"
    assert (
        seed_000.canonical_url
        == "https://www.elbalad.news/english/uk-rejects-france-italy-push-putin"
    )


def test_seed_003_metadata_and_structure():
    found = extract_page((SEEDS / "site" / f"{SEED_003}.html").read_bytes())
    assert found is not None
    assert found.title == "UK France and Italy Diverge on Strategy for Engaging with Putin"
    assert found.published_at == datetime(2026, 1, 17, 9, 0, tzinfo=timezone.utc)
    assert found.site_name == "Global Affairs Wire"
    assert found.text.startswith("In a striking development within European diplomacy")
    assert "Final Thoughts" in found.text
    for furniture in (
        "We use cookies",
        "Sign up for our weekly newsletter",
        "More from Europe",
        "EU debates naming a special envoy",
        "Ceasefire talks resume",
    ):
        assert furniture not in found.text


@pytest.mark.parametrize("name", [SEED_000, SEED_003])
def test_seed_pages_cover_the_seed_text(name):
    found = extract_page((SEEDS / "site" / f"{name}.html").read_bytes())
    assert found is not None
    precision, recall, f1 = score(found.text, seed_body(name))
    assert f1 >= 0.95, (precision, recall)


def test_fixture_set_f1(fixture_eval):
    assert fixture_eval["pages"] >= 32
    assert fixture_eval["f1"] >= 0.95
    assert fixture_eval["pages_per_second"] > 0
    worst = min(fixture_eval["per_page"], key=lambda p: p["f1"])
    assert worst["f1"] >= 0.8, worst


def test_fixture_expected_files_exist():
    pages = sorted(FIXTURES.glob("*.html"))
    assert len(pages) >= 32
    for html in pages:
        assert html.with_suffix(".expected.txt").read_text(encoding="utf-8").strip(), html.name


def test_comments_never_in_text():
    with_comments = [
        p
        for p in sorted(FIXTURES.glob("*.html"))
        if any(c in p.read_text(encoding="utf-8") for c in COMMENT_TEXTS)
    ]
    assert len(with_comments) >= 8
    for html in with_comments:
        found = extract_page(html.read_bytes())
        assert found is not None, html.name
        for comment in COMMENT_TEXTS:
            assert comment not in found.text, (html.name, comment)


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "<html><body></body></html>",
        "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form action='/login'>"
        "<label>Email</label><input name='email'><label>Password</label><input type='password'>"
        "<button>Sign in</button><a href='/forgot'>Forgot your password?</a></form></body></html>",
        "<html><body><nav><ul><li><a href='/'>Home</a></li><li><a href='/news'>News</a></li>"
        "<li><a href='/sport'>Sport</a></li></ul></nav><footer>© 2026</footer></body></html>",
    ],
)
def test_non_article_pages_return_none(html):
    assert extract_page(html) is None


def test_furniture_class_names_on_article_wrappers_do_not_lose_the_article():
    wrapped = (
        '<div class="entry share-enabled comments-open paywall-content">'
        + ENGLISH.replace("<p>", '<p class="related-text">')
        + "</div>"
    )
    html = page(wrapped).replace("<body>", '<body class="single comment-template">')
    found = extract_page(html)
    assert found is not None
    assert "central library" in found.text and "spring term" in found.text


# --- encodings -----------------------------------------------------------------------------

ACCENTED = (
    "<p>Le café de la gare a rouvert ses portes : « Ça fait du bien », déclare la gérante, "
    "après des mois de travaux coûteux et une longue fermeture à l’été.</p>" * 2
)


def test_utf8_page_declared_latin1():
    body = page(ACCENTED, charset="utf-8").encode("utf-8")
    text, encoding = decode_html(body, "ISO-8859-1")
    assert encoding == "utf-8"
    assert "café" in text and "Ã" not in text
    found = extract_page(body, charset="iso-8859-1")
    assert found is not None and "Le café de la gare" in found.text and "Ã©" not in found.text


def test_utf8_page_declared_and_meta_latin1():
    body = page(ACCENTED, charset="iso-8859-1").encode("utf-8")
    text, encoding = decode_html(body, "latin-1")
    assert encoding == "utf-8" and "« Ça fait du bien »" in text


def test_cp1252_page_declared_utf8():
    body = page(ACCENTED, charset="utf-8").encode("cp1252")
    text, encoding = decode_html(body, "utf-8")
    assert "café" in text and "l’été" in text and "\ufffd" not in text
    assert encoding != "utf-8"
    found = extract_page(body, charset="utf-8")
    assert found is not None and "coûteux" in found.text


def test_shift_jis_page_with_meta():
    body_html = (
        "<p>東京都は火曜日、新しい図書館の開館時間を延長すると発表しました。"
        "住民からの要望が多く寄せられていました。</p>"
        "<p>新しい開館時間は四月から適用され、平日は午後九時まで利用できるようになります。"
        "都の担当者は、学生や会社員の利用が増えることを期待していると話しました。</p>"
    )
    body = page(body_html, charset="shift_jis", title="図書館の開館時間を延長").encode("shift_jis")
    text, encoding = decode_html(body, None)
    assert encoding == "shift_jis" and "図書館" in text
    found = extract_page(body)
    assert found is not None and "新しい図書館" in found.text and found.language == "ja"


def test_koi8r_page_with_meta():
    body_html = (
        "<p>Городской совет во вторник проголосовал за продление часов работы центральной "
        "библиотеки после того, как жители собрали более четырёх тысяч подписей.</p>"
    ) * 2
    body = page(body_html, charset="koi8-r", title="Библиотека").encode("koi8-r")
    text, encoding = decode_html(body, None)
    assert encoding == "koi8-r" and "библиотеки" in text
    found = extract_page(body, charset=None)
    assert found is not None and "Городской совет" in found.text and found.language == "ru"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_page_with_bom(bom, codec):
    body = bom + page(ACCENTED, charset="iso-8859-1").encode(codec)
    text, encoding = decode_html(body, "windows-1252")
    assert encoding == codec and text.startswith("<!DOCTYPE") and "café" in text
    found = extract_page(body, charset="windows-1252")
    assert found is not None and "rouvert ses portes" in found.text


def test_undecodable_bytes_do_not_crash():
    body = page(ENGLISH).encode("utf-8") + bytes(range(128, 256))
    text, _ = decode_html(body, "no-such-charset")
    assert "library" in text
    assert extract_page(body, charset="no-such-charset") is not None


# --- metadata ------------------------------------------------------------------------------


def test_language_from_html_lang_og_locale_and_text():
    assert extract_page(page(lang=' lang="en-GB"')).language == "en"
    assert (
        extract_page(page(FRENCH, meta='<meta property="og:locale" content="fr_FR">')).language
        == "fr"
    )
    assert extract_page(page(FRENCH)).language == "fr"
    assert extract_page(page(ENGLISH)).language == "en"


def test_title_suffix_stripped_and_date_from_json_ld():
    ld = (
        '<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":'
        '"NewsArticle","headline":"Library hours extended",'
        '"datePublished":"2026-02-03T08:15:00-05:00"}]}'
        '</script><meta property="og:site_name" content="Example News">'
    )
    found = extract_page(
        page(title="Library hours extended | Example News", meta=ld),
        url="https://www.example-news.test/a/1",
    )
    assert found.title == "Library hours extended"
    assert found.published_at == datetime(2026, 2, 3, 13, 15, tzinfo=timezone.utc)


BRANDED = """<html><head><title>{title}</title></head><body>{header}
<div class="post">{heading}<p>The harbour council voted on Tuesday to extend the opening hours
of the central library, after residents gathered four thousand signatures for the change.</p>
<p>Officials said two new librarians would be hired before the spring term starts.</p></div>
</body></html>"""


@pytest.mark.parametrize(
    ("title", "header", "heading"),
    [
        # the <title> puts the site first, and the page has no headline element
        ("Harbour Town Council - Library hours extended", "", ""),
        # the only h1 is the site's logo, the headline an h2 the <title> also holds
        (
            "Library hours extended › Harbour Town Council",
            "<h1><a href='/'>Harbour Town Council</a></h1>",
            "<h2 class='entry-title'>Library hours extended</h2>",
        ),
        # an ordinary page: the site's suffix comes off the <title>
        (
            "Library hours extended | Harbour Town Council",
            "",
            "<h1>Library hours extended</h1>",
        ),
    ],
)
def test_the_headline_is_not_the_sites_name(title: str, header: str, heading: str) -> None:
    html = BRANDED.format(title=title, header=header, heading=heading)
    found = extract_page(html, url="https://www.harbour-town-council.test/news/42")
    assert found.title == "Library hours extended"


@pytest.mark.parametrize(
    ("furniture", "author", "unseen"),
    [
        # labels for screen readers only, in the byline and as a heading
        (
            '<span class="byline author vcard"><span class="screen-reader-text">Author </span>'
            '<a class="url fn n" rel="author" href="/author/jane">Jane Smith</a></span>'
            '<h2 class="screen-reader-text">Post navigation</h2>',
            "Jane Smith",
            "Post navigation",
        ),
        # a commenter's name in a sidebar's recent-comments widget
        (
            '<aside><h4>Recent comments</h4><ul id="recentcomments"><li class="recentcomments">'
            '<span class="comment-author-link">Tim Walker</span> on <a href="/b">Another post</a>'
            "</li></ul></aside>",
            None,
            "Tim Walker",
        ),
    ],
)
def test_hidden_labels_and_comment_widgets_are_neither_byline_nor_text(
    furniture: str, author: str | None, unseen: str
) -> None:
    found = extract_page(page(furniture + ENGLISH), url="https://example.test/news/1")
    assert found.author == author
    assert unseen not in found.text


RELATED_TEASER = (
    '<aside class="related"><div class="teaser"><a href="/x">Older story about the library</a>'
    '<span class="date">01.08.2019</span></div></aside>'
)


def test_a_date_found_only_in_the_page_text_is_marked_as_a_guess():
    """A related teaser's date is all a page without date metadata offers: it is kept, marked
    as guessed; a date in the address or a meta tag is the page's own word."""
    teaser = page(ENGLISH + RELATED_TEASER)
    guessed = extract_page(teaser, url="https://example.test/news/library")
    assert guessed.published_at == datetime(2019, 8, 1, tzinfo=timezone.utc)
    assert guessed.date_guessed
    in_address = extract_page(teaser, url="https://example.test/2013/06/10/library")
    assert in_address.published_at == datetime(2013, 6, 10, tzinfo=timezone.utc)
    assert not in_address.date_guessed
    meta = '<meta property="og:published_time" content="2013-06-10T09:00:00Z">'
    declared = extract_page(page(ENGLISH + RELATED_TEASER, meta=meta), url="https://e.test/a")
    assert declared.published_at == datetime(2013, 6, 10, 9, tzinfo=timezone.utc)
    assert not declared.date_guessed


def test_a_copyright_notice_is_not_the_site_and_the_site_is_not_the_author():
    meta = (
        '<meta name="copyright" content="Copyright 2003 - 2019 by example-news.de GbR Jane Roe">'
        '<meta name="author" content="example-news.de">'
    )
    found = extract_page(page(meta=meta), url="https://www.example-news.de/a/1")
    assert "Copyright" not in (found.site_name or "")
    assert found.author is None
    named = extract_page(
        page(meta='<meta name="author" content="Jane Roe">'), url="https://www.example-news.de/a/1"
    )
    assert named.author == "Jane Roe"


def test_a_byline_box_holding_the_share_buttons_is_no_author():
    byline = (
        '<div class="author_share"><span>so</span><ul><li>Artikel empfehlen:</li>'
        '<li><a href="#">Facebook</a></li></ul></div>'
    )
    assert extract_page(page(byline + ENGLISH)).author is None


def test_canonical_made_absolute():
    found = extract_page(
        page(meta='<link rel="canonical" href="/story/42">'),
        url="https://news.example.test/amp/story/42?utm_source=x",
    )
    assert found.canonical_url == "https://news.example.test/story/42"
    assert extract_page(page()).canonical_url is None


# --- cleaning ------------------------------------------------------------------------------


def test_clean_text_drops_furniture_lines():
    body = (
        "The council met on Tuesday to discuss the budget for next year and beyond.\n"
        "Advertisement\nads\nShare this article\nFacebook | Twitter | Email\n"
        "Read more: Council delays vote on parking plan\n"
        "Photo: John Smith/Reuters\n"
        "Sign up for our newsletter to get the morning briefing in your inbox.\n"
        "“The budget is balanced and our reserves are safe,”\n"
        "The mayor said, “The budget is balanced and our reserves are safe,” and thanked staff."
    )
    assert clean_text(body).splitlines() == [
        "The council met on Tuesday to discuss the budget for next year and beyond.",
        "The mayor said, “The budget is balanced and our reserves are safe,” and thanked staff.",
    ]


def test_clean_text_keeps_article_sentences_about_ads_and_newsletters():
    body = (
        "Advertisement revenue at the paper fell by a third last year, the company said.\n"
        "Readers who subscribe to the print edition will keep their discount.\n"
        "Print edition\n"
        "The statement was distributed via AP."
    )
    assert clean_text(body) == body


def test_drop_headline_and_byline():
    text = "World\nBig news today\nBy Jane Doe\nFirst paragraph of the story goes here."
    assert (
        drop_headline(text, ["Big news today"], "Jane Doe")
        == "First paragraph of the story goes here."
    )
    kept = "A long first paragraph that happens to come first.\nBig news today\nMore."
    assert drop_headline(kept, ["Big news today"]) == kept


def test_score():
    assert score("one two three four five", "one two three four five") == (1.0, 1.0, 1.0)
    assert score("", "one two three four") == (0.0, 0.0, 0.0)
    precision, recall, _ = score("a b c d e f", "a b c d")
    assert precision == pytest.approx(1 / 3) and recall == 1.0
