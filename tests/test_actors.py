"""Actor registry and tagging."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from monitor.actors import (
    CANDIDATE,
    _role_matches,
    affiliation_of,
    load_registry,
    role_on,
    tag_actors,
    trie_regex,
)

ROOT = Path(__file__).parents[1]
DATE = datetime(2026, 1, 16)


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def ids(text: str, registry, published_at: datetime | None = DATE) -> list[str]:
    """Actor ids of the mentions of a text, in order."""
    mentions, _ = tag_actors(text, registry, published_at)
    return [mention.actor_id for mention in mentions]


def test_shipped_registry_validates_against_schema() -> None:
    schema = json.loads((ROOT / "schemas" / "actors.schema.json").read_text(encoding="utf-8"))
    document = json.loads((ROOT / "src" / "monitor" / "data" / "actors.json").read_text("utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(document, schema)


def test_registry_coverage(registry) -> None:
    actors = registry.actors
    for code in ("GBR", "FRA", "DEU", "ITA", "ESP", "RUS", "UKR", "USA", "CHN", "TUR", "XKX"):
        assert actors[code]["type"] == "country"
    assert sum(actor["type"] == "country" for actor in actors.values()) >= 249
    for org in ("EU", "NATO", "UN", "G7", "G20", "OSCE", "AU", "IMF", "WHO", "ASEAN", "OPEC"):
        assert actors[org]["type"] == "organisation"
    people = (
        "vladimir-putin",
        "yvette-cooper",
        "donald-trump",
        "john-healey",
        "keir-starmer",
        "emmanuel-macron",
        "giorgia-meloni",
        "friedrich-merz",
        "pedro-sanchez",
        "marco-rubio",
        "pete-hegseth",
        "sergey-lavrov",
        "andrii-sybiha",
        "wang-yi",
        "jean-noel-barrot",
        "antonio-tajani",
        "johann-wadephul",
        "boris-pistorius",
        "kaja-kallas",
        "ursula-von-der-leyen",
        "antonio-costa",
        "mark-rutte",
        "antonio-guterres",
        "volodymyr-zelensky",
        "dmitry-peskov",
    )
    for person in people:
        assert actors[person]["type"] == "person", person
    assert actors["yvette-cooper"]["roles"][-1] == {
        "title": "Foreign Secretary",
        "affiliation": "GBR",
        "since": "2025-09-05",
    }


def test_case_sensitive_short_aliases(registry) -> None:
    assert ids("Let us see what the US and the U.S. Congress do.", registry) == ["USA", "USA"]
    assert ids("He said they may join us.", registry) == []
    assert ids("BRITAIN AND FRANCE AGREE", registry) == ["GBR", "FRA"]


def test_surnames_need_an_earlier_full_name_or_a_title(registry) -> None:
    assert ids("Cooper said nothing.", registry) == []
    assert ids("Healey and Reeves said nothing.", registry) == []
    assert ids("Vladimir Putin spoke. Later Putin left.", registry) == ["vladimir-putin"] * 2
    assert ids("President Putin spoke.", registry) == ["vladimir-putin"]


def test_unambiguous_surnames_count_anywhere(registry) -> None:
    text = "Trump envoy Steve Witkoff met Putin; Zelenskiy was not invited."
    assert ids(text, registry) == [
        "donald-trump",
        "steve-witkoff",
        "vladimir-putin",
        "volodymyr-zelensky",
    ]
    assert ids("In May, Johnson and Martin met Costa.", registry) == []


def test_may_the_month_and_theresa_may(registry) -> None:
    assert ids("In May, talks resumed. May 5 was chosen.", registry) == []
    text = "Theresa May spoke in May. May said she had no regrets. On May 3 she left."
    assert ids(text, registry) == ["theresa-may", "theresa-may"]


def test_turkey_chad_jordan_georgia(registry) -> None:
    assert ids("Turkey and Türkiye are the same country.", registry) == ["TUR", "TUR"]
    assert ids("We ate a Turkey sandwich and some turkey.", registry) == []
    assert ids("Chad Smith spoke. Chad closed its border.", registry) == ["TCD"]
    assert ids("Jordan Bardella met Michael Jordan. Jordan condemned it.", registry) == ["JOR"]
    assert ids("Georgia held elections in Tbilisi.", registry) == ["GEO", "GEO"]
    assert ids("Atlanta officials said Georgia Republicans won the governor race.", registry) == []


def test_word_boundaries_and_longest_match(registry) -> None:
    assert ids("Niger and Nigeria signed a pact; Nigerien troops left.", registry) == [
        "NER",
        "NGA",
        "NER",
    ]
    assert ids("Papua New Guinea, Guinea-Bissau and Guinea.", registry) == ["PNG", "GNB", "GIN"]
    assert ids("Latin America, New Mexico and the Paris Agreement.", registry) == []
    assert ids("Russian President Vladimir Putin", registry) == ["RUS", "vladimir-putin"]


def test_matcher_skips_handles_hashtags_and_word_insides(registry) -> None:
    text = "France, @France, #France, xFrance, FranceX, France+ and France."
    # The plain form of the matcher: a look-behind first (slower, as it is tried everywhere).
    plain = re.compile(rf"(?<![\w@#])(?:{trie_regex(sorted(registry.surfaces))})(?![\w+])")
    assert [m.span() for m in registry.pattern.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]
    assert ids(text, registry) == ["FRA", "FRA"]


def test_role_matches_are_the_candidate_regex_matches() -> None:
    texts = [
        (ROOT / "seeds" / name).read_text(encoding="utf-8")
        for name in ("000_3089e8b34c872a70.txt", "003_a5c97dfcc15387b1.txt")
    ] + [
        "former Foreign Minister Jane Doe met xPresident Foo Bar.",
        "Deputy Prime Minister John Smith and Vice President Jane Doe Roe Poe Moe spoke.",
        "President Emmanuel Macron Prime Minister Keir Starmer",
    ]
    for text in texts:
        assert [m.span() for m in _role_matches(text)] == [
            m.span() for m in CANDIDATE.finditer(text)
        ]


def test_possessives_with_straight_and_curly_apostrophes(registry) -> None:
    mentions, _ = tag_actors("France's plan, Britain’s reply and Italy’s view.", registry)
    assert [(m.actor_id, m.surface) for m in mentions] == [
        ("FRA", "France"),
        ("GBR", "Britain"),
        ("ITA", "Italy"),
    ]


def test_demonyms_and_metonyms(registry) -> None:
    text = (
        "British Foreign Secretary Yvette Cooper met French officials. The Kremlin, "
        "Downing Street, the White House, the Élysée, Kiev, Kyiv and Brussels reacted."
    )
    assert ids(text, registry) == [
        "GBR",
        "yvette-cooper",
        "FRA",
        "RUS",
        "GBR",
        "USA",
        "FRA",
        "UKR",
        "UKR",
        "EU",
    ]


def test_person_rolls_up_through_via_not_an_extra_mention(registry) -> None:
    mentions, _ = tag_actors("Yvette Cooper spoke.", registry, DATE)
    assert len(mentions) == 1
    assert mentions[0].actor_id == "yvette-cooper" and mentions[0].via_actor_id == "GBR"
    assert (mentions[0].char_start, mentions[0].char_end) == (0, 13)


def test_dated_roles(registry) -> None:
    assert role_on("yvette-cooper", registry, datetime(2025, 1, 1))["title"] == "Home Secretary"
    assert role_on("yvette-cooper", registry, DATE)["title"] == "Foreign Secretary"
    assert affiliation_of("yvette-cooper", registry, datetime(2020, 1, 1)) is None
    assert affiliation_of("david-lammy", registry, datetime(2025, 3, 1)) == "GBR"
    assert role_on("olaf-scholz", registry, DATE) is None
    assert affiliation_of("EC", registry) == "EU"
    assert affiliation_of("GBR", registry) is None


def test_candidates_only_for_people_outside_the_registry(registry) -> None:
    text = (
        "Defense Secretary John Healey met Dutch Defence Minister Ruben Brekelmans, "
        "and Foreign Minister Jane Doe of Norway."
    )
    mentions, candidates = tag_actors(text, registry, DATE)
    assert "john-healey" in [m.actor_id for m in mentions]
    found = {(c.name, c.role, c.affiliation) for c in candidates}
    assert found == {
        ("Ruben Brekelmans", "Defence Minister", "NLD"),
        ("Jane Doe", "Foreign Minister", "NOR"),
    }
    for candidate in candidates:
        assert text[candidate.char_start : candidate.char_end] == candidate.surface


def test_extra_actors_add_aliases_and_new_actors() -> None:
    registry = load_registry(
        extra_actors=[
            {"id": "GBR", "aliases": ["Blighty"]},
            {
                "id": "jane-doe",
                "type": "person",
                "name": "Jane Doe",
                "aliases": ["Jane Doe"],
                "roles": [
                    {"title": "Foreign Minister", "affiliation": "NOR", "since": "2025-01-01"}
                ],
            },
        ]
    )
    assert ids("Blighty and Jane Doe.", registry) == ["GBR", "jane-doe"]
    assert "United Kingdom" in registry.actors["GBR"]["aliases"]


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ({"id": "GBR", "aliases": "UK"}, "aliases"),
        ({"id": "new-person", "name": "New Person"}, "type"),
        (
            {
                "id": "bad-role",
                "type": "person",
                "name": "X Y",
                "roles": [{"title": "President", "affiliation": "FRA", "since": "May 2025"}],
            },
            "roles.0.since",
        ),
    ],
)
def test_bad_extra_actor_names_id_and_field(entry, field) -> None:
    with pytest.raises(ValueError) as error:
        load_registry(extra_actors=[entry])
    assert repr(entry["id"]) in str(error.value) and repr(field) in str(error.value)


def test_seed_actors(registry) -> None:
    seeds = ROOT / "seeds"
    text = (seeds / "000_3089e8b34c872a70.txt").read_text(encoding="utf-8")
    text = text[text.index("UK Rejects") :]
    assert set(ids(text, registry)) == {
        "GBR",
        "FRA",
        "ITA",
        "RUS",
        "UKR",
        "USA",
        "DEU",
        "ESP",
        "EU",
        "vladimir-putin",
        "yvette-cooper",
        "donald-trump",
        "john-healey",
        "keir-starmer",
        "emmanuel-macron",
    }
    text = (seeds / "003_a5c97dfcc15387b1.txt").read_text(encoding="utf-8")
    assert set(ids(text, registry)) == {
        "GBR",
        "FRA",
        "ITA",
        "RUS",
        "UKR",
        "EU",
        "NATO",
        "vladimir-putin",
    }
