"""Synthetic English news text for the benchmark: varied sentences naming real actors.

Sentences come from templates filled with actors of the shipped registry (countries, leaders,
organisations), a vocabulary of news words and numbers, and stance phrases on the shipped topics
(talks with Russia, sanctions, troops and military aid for Ukraine), so that tagging does real
work. Everything is drawn from a seeded random generator: the same seed gives the same text.
"""

from __future__ import annotations

import itertools
import json
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ACTORS_FILE = Path(__file__).resolve().parents[1] / "src" / "monitor" / "data" / "actors.json"
FOCUS_COUNTRIES = (
    "RUS",
    "UKR",
    "USA",
    "GBR",
    "FRA",
    "DEU",
    "POL",
    "CHN",
    "ITA",
    "ESP",
    "TUR",
    "IND",
    "JPN",
    "NLD",
    "SWE",
    "FIN",
    "HUN",
    "ISR",
    "IRN",
    "BRA",
)
NOUNS = (
    "budget",
    "ceasefire",
    "coalition",
    "corridor",
    "deadline",
    "delegation",
    "drone",
    "economy",
    "election",
    "embargo",
    "energy",
    "grain",
    "harbour",
    "inflation",
    "infrastructure",
    "loan",
    "minister",
    "missile",
    "negotiator",
    "offensive",
    "parliament",
    "pipeline",
    "port",
    "reform",
    "refugee",
    "sanction",
    "shipment",
    "strategy",
    "summit",
    "supply",
    "tariff",
    "treaty",
    "vote",
    "warehouse",
    "weapons",
    "frontline",
    "reactor",
    "border",
    "convoy",
    "subsidy",
    "currency",
    "bond",
    "factory",
    "airport",
    "railway",
    "hospital",
    "court",
    "prosecutor",
    "protest",
    "union",
    "strike",
    "farmer",
    "exporter",
    "ministry",
    "agency",
    "regulator",
    "investigation",
    "verdict",
    "accord",
    "memorandum",
    "resolution",
    "framework",
    "package",
    "satellite",
    "cyberattack",
    "blackout",
    "harvest",
    "drought",
    "flood",
    "wildfire",
    "storm",
    "vaccine",
    "outbreak",
    "school",
    "university",
    "pension",
    "wage",
    "tax",
    "debt",
    "auction",
)
ADJECTIVES = (
    "new",
    "fresh",
    "sweeping",
    "limited",
    "broad",
    "urgent",
    "contested",
    "delayed",
    "final",
    "provisional",
    "bilateral",
    "regional",
    "national",
    "European",
    "Western",
    "eastern",
    "controversial",
    "modest",
    "ambitious",
    "tentative",
    "unexpected",
    "long-awaited",
    "costly",
    "symbolic",
    "fragile",
    "secret",
    "public",
    "joint",
    "rival",
    "emergency",
    "temporary",
)
VERBS = (
    "announced",
    "criticised",
    "welcomed",
    "rejected",
    "postponed",
    "approved",
    "questioned",
    "defended",
    "unveiled",
    "signed",
    "blocked",
    "debated",
    "confirmed",
    "denied",
    "proposed",
    "reviewed",
    "extended",
    "suspended",
    "endorsed",
    "challenged",
    "negotiated",
    "outlined",
)
PLACES = (
    "Brussels",
    "Geneva",
    "Vienna",
    "Warsaw",
    "Kyiv",
    "Istanbul",
    "Helsinki",
    "Rome",
    "Madrid",
    "Lisbon",
    "Prague",
    "Bucharest",
    "Riga",
    "Vilnius",
    "Tallinn",
    "Oslo",
    "Copenhagen",
    "Athens",
    "Budapest",
    "Sofia",
    "Zagreb",
    "Belgrade",
    "Dublin",
    "Edinburgh",
    "Munich",
    "Hamburg",
)
TIMES = (
    "on Monday",
    "on Tuesday",
    "on Wednesday",
    "on Thursday",
    "on Friday",
    "over the weekend",
    "late on Sunday",
    "earlier this week",
    "last month",
    "in a statement",
    "at a briefing",
)
TEMPLATES = (
    "{A} {verb} a {adj} {noun} {time}, officials in {place} said.",
    "The {adj} {noun} was {verb} by {A} after weeks of talks in {place}.",
    "According to diplomats in {place}, {A} {verb} the {noun} {time}.",
    "{P} told reporters in {place} that the {noun} would cost about {num} million euros.",
    "Analysts said the {adj} {noun} could reshape relations between {A} and {B}.",
    "{A} and {B} {verb} a {adj} {noun} {time}, according to a joint statement.",
    "In {place}, protesters gathered outside the {noun} office as {A} {verb} the plan.",
    "The {noun} figures published {time} showed a rise of {small} percent, the agency said.",
    '{P} said the {noun} was "{adj} but necessary" and urged {B} to respond.',
    "Critics in {A} warned that the {adj} {noun} would leave {num} families without support.",
    "A spokesperson for {A} declined to comment on the {noun} when contacted {time}.",
    "The {noun} comes as {B} faces a {adj} {noun2} at home, with a vote due {time}.",
    "Officials estimated that {num} people had been affected by the {noun} near {place}.",
    "{P}, speaking in {place}, described the {noun2} as a {adj} step for {A}.",
    "Markets in {place} reacted calmly, with the {noun} index up {small} percent {time}.",
    "The {adj} {noun} has divided opinion in {A}, where {num} signatures were collected.",
)
STANCE_TEMPLATES = (
    "{P} said {A} was ready to hold talks with Russia and called for a diplomatic solution.",
    "{A} rejected any dialogue with Moscow, calling talks with Putin premature and naive.",
    "{P} urged tougher sanctions on Russia and said pressure on the Kremlin must increase.",
    "{A} opposed new sanctions against Russia, warning they would hurt its own economy.",
    "{P} said {A} would send more weapons and air defence systems to Ukraine.",
    "{A} refused to supply further military aid to Ukraine, {P} told parliament.",
    "{P} said {A} was prepared to deploy troops to Ukraine as part of a reassurance force.",
    "{A} ruled out sending troops to Ukraine, {P} said at a press conference.",
)


@dataclass(frozen=True)
class Cast:
    """The actors text can name: countries by name, people with their roles."""

    countries: tuple[tuple[str, str], ...]
    people: tuple[tuple[str, str, str], ...]
    organisations: tuple[tuple[str, str], ...]


@cache
def cast() -> Cast:
    """The actors of the shipped registry, focus countries first."""
    data = json.loads(ACTORS_FILE.read_text(encoding="utf-8"))["actors"]
    countries = sorted(
        ((a["id"], a["name"]) for a in data if a["type"] == "country"),
        key=lambda c: (c[0] not in FOCUS_COUNTRIES, c[0]),
    )
    people = tuple(
        (a["id"], a["name"], f"{a.get('role') or 'Official'}")
        for a in data
        if a["type"] == "person" and a.get("name")
    )
    organisations = tuple((a["id"], a["name"]) for a in data if a["type"] == "organisation")
    return Cast(tuple(countries), people, organisations)


def _country(rng: random.Random) -> str:
    """A country name, mostly among the focus countries."""
    countries = cast().countries
    pool = countries[: len(FOCUS_COUNTRIES)] if rng.random() < 0.8 else countries
    return rng.choice(pool)[1]


def _person(rng: random.Random) -> str:
    """A leader with their role, e.g. 'President Vladimir Putin'."""
    _, name, role = rng.choice(cast().people)
    return f"{role} {name}" if rng.random() < 0.5 else name


def sentence(rng: random.Random, stance_share: float = 0.0) -> str:
    """One news sentence; with probability stance_share, one that expresses a stance."""
    template = rng.choice(STANCE_TEMPLATES if rng.random() < stance_share else TEMPLATES)
    return template.format(
        A=_country(rng),
        B=_country(rng) if rng.random() < 0.8 else rng.choice(cast().organisations)[1],
        P=_person(rng),
        verb=rng.choice(VERBS),
        adj=rng.choice(ADJECTIVES),
        noun=rng.choice(NOUNS),
        noun2=rng.choice(NOUNS),
        place=rng.choice(PLACES),
        time=rng.choice(TIMES),
        num=rng.randint(2, 950),
        small=round(rng.uniform(0.1, 9.9), 1),
    )


def paragraphs(rng: random.Random, words: int, stance_share: float = 0.05) -> list[str]:
    """Paragraphs of two to five sentences totalling about `words` words."""
    out: list[str] = []
    count = 0
    while count < words:
        para = " ".join(sentence(rng, stance_share) for _ in range(rng.randint(2, 5)))
        count += para.count(" ") + 1
        out.append(para)
    return out


def headline(rng: random.Random) -> str:
    """A headline naming an actor and a subject."""
    noun = rng.choice(NOUNS)
    return rng.choice(
        (
            f"{_country(rng)} {rng.choice(VERBS)} {rng.choice(ADJECTIVES)} {noun} plan",
            f"{_person(rng)} defends {noun} as {_country(rng)} weighs response",
            f"What the {rng.choice(ADJECTIVES)} {noun} means for {_country(rng)}",
            f"{_country(rng)} and {_country(rng)} at odds over {noun}",
        )
    )


# -- events: what several outlets report at once ---------------------------------------------
EVENT_SENTENCES = 24  # sentences of its own an event offers its articles
LEXICON_SIZE = 20_000
ACTOR_SHARE = 0.15  # general sentences naming a country or a leader
FUNCTION_WORDS = ("the", "of", "and", "to", "in", "a", "for", "on", "with", "that", "was", "by")
EVENT_SHARE = 0.4  # share of an article's sentences drawn from its event's own
NAME_SYLLABLES = [c + v for c in "bdgklmnrstvz" for v in "aeiou"] + ["var", "dor", "len", "mir"]
EVENT_TEMPLATES = (
    "{person}, who leads the {group}, said the {noun} in {town} would go ahead despite "
    "objections from {A}.",
    "Residents of {town} said the {noun} had been expected for {num} days.",
    "The {group} confirmed that {num} people were involved in the {noun} near {town}.",
    "{A} sent a delegation to {town} after the {group} announced the {noun}.",
    "Local officials in {town} said {person} had met representatives of {A} {time}.",
    "The {noun} in {town} is the largest in {num} years, according to the {group}.",
    "{person} said the {group} would publish its own account of the {noun} {time}.",
    "Witnesses in {town} described the {noun} as {adj} and chaotic.",
    "A lawyer for the {group} said {person} had not been consulted about the {noun}.",
    "The mayor of {town} asked {A} for help after the {noun}, citing {num} complaints.",
)
EVENT_HEADLINES = (
    "{A} and the {group} clash over {noun} in {town}",
    "{person} defends {group} as {noun} grips {town}",
    "What the {noun} in {town} means for {A}",
    "{town} {noun}: {group} under pressure as {A} weighs response",
)


@dataclass(frozen=True)
class Event:
    """A news event: the names and sentences every article about it repeats."""

    fields: tuple[tuple[str, str], ...]
    sentences: tuple[str, ...]


def _name(rng: random.Random) -> str:
    """A capitalised pseudo-word: a town, group or person name no other event uses."""
    return "".join(rng.choice(NAME_SYLLABLES) for _ in range(rng.randint(2, 3))).title()


@cache
def event(seed: str) -> Event:
    """The event of a seed: its town, group, spokesperson, subject, country and sentences."""
    rng = random.Random(f"event-{seed}")
    names = {
        "town": _name(rng),
        "group": f"{_name(rng)} {rng.choice(('Group', 'Union', 'Council', 'Alliance'))}",
        "person": f"{_name(rng)} {_name(rng)}",
        "noun": rng.choice(NOUNS),
        "A": _country(rng),
    }

    def fill(template: str) -> str:
        return template.format(
            **names, num=rng.randint(2, 950), time=rng.choice(TIMES), adj=rng.choice(ADJECTIVES)
        )

    sentences = tuple(fill(rng.choice(EVENT_TEMPLATES)) for _ in range(EVENT_SENTENCES))
    return Event(tuple(names.items()), sentences)


def event_headline(rng: random.Random, ev: Event) -> str:
    """A headline about the event."""
    return rng.choice(EVENT_HEADLINES).format(**dict(ev.fields))


@cache
def lexicon() -> tuple[tuple[str, ...], list[float]]:
    """LEXICON_SIZE pseudo-words and their cumulative Zipf weights (a news vocabulary's shape)."""
    rng = random.Random("lexicon")
    words = tuple(
        dict.fromkeys(
            "".join(rng.choice(NAME_SYLLABLES) for _ in range(rng.randint(2, 4)))
            for _ in range(LEXICON_SIZE)
        )
    )
    return words, list(itertools.accumulate(1.0 / (rank + 1) for rank in range(len(words))))


def general_sentence(rng: random.Random, stance_share: float = 0.0) -> str:
    """A sentence of varied news prose: lexicon words (Zipf) among function words, often
    naming a country or a leader; with probability stance_share, a stance template."""
    if rng.random() < stance_share:
        return sentence(rng, 1.0)
    words, weights = lexicon()
    out: list[str] = []
    for word in rng.choices(words, cum_weights=weights, k=rng.randint(6, 16)):
        out.append(word)
        if rng.random() < 0.6:
            out.append(rng.choice(FUNCTION_WORDS))
    if rng.random() < ACTOR_SHARE:
        out.insert(
            rng.randrange(len(out) + 1), _country(rng) if rng.random() < 0.7 else _person(rng)
        )
    text = " ".join(out)
    return text[0].upper() + text[1:] + "."


def event_paragraphs(
    rng: random.Random, ev: Event, words: int, stance_share: float = 0.05
) -> list[str]:
    """Paragraphs about the event: its own sentences mixed with general news sentences."""
    out: list[str] = []
    count = 0
    while count < words:
        para = " ".join(
            rng.choice(ev.sentences)
            if rng.random() < EVENT_SHARE
            else general_sentence(rng, stance_share)
            for _ in range(rng.randint(2, 5))
        )
        count += para.count(" ") + 1
        out.append(para)
    return out
