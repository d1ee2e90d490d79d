"""Actor tagging: countries, organisations and people named in an article.

The registry (``data/actors.json``, validated by ``schemas/actors.schema.json``) lists every ISO
3166-1 country with its names, demonyms ("British") and metonyms (capitals such as "Kyiv"/"Kiev",
seats of power such as "the Kremlin", "Downing Street", "the White House", "the Élysée"), the main
blocs and organisations, and people with dated roles. All surfaces are compiled once into a single
character-trie regex, so a text is scanned in one pass; the longest alias wins at each position
and a match never overlaps another.

Case and ambiguity rules:

* Matching is case-sensitive: "US" is the country and "us" is not; "May" is never the modal verb.
  Aliases of four or more characters also match in capitals ("UKRAINE") for headlines.
* Possessives ("France's", "Britain’s" with a curly apostrophe) end the match before the
  apostrophe. Word boundaries keep "Niger" and "Nigeria" apart.
* A person's short name (a surname: "Putin", "Cooper", "May") counts only after a full alias of
  that person appeared earlier in the same article, or right after a title ("President Putin",
  "Mrs May"), unless the registry marks it unambiguous in news copy ("Putin", "Zelenskiy":
  ``unambiguous_short_names``), when it counts anywhere. "May" (and other month names) is
  moreover dropped before a day number, a year, or after "in", "since", "until", "early"..., so
  "in May" stays the month.
* Guarded aliases (names that also name other things) are dropped next to another capitalised
  word that is not an actor ("Jordan Bardella", "Michael Jordan", "Chad Smith", "George
  Washington", "Washington Nationals"). "Georgia" is the country unless the sentence carries US
  state context (Atlanta, governor, county, Senate race, GOP...). "Turkey" and "Türkiye" are both
  the country TUR (English-language news uses both); "turkey" in lower case is the bird, and a
  capitalised "Turkey" followed by a food word ("Turkey dinner") is dropped.
* Blockers are phrases that contain an alias but name no actor ("Latin America", "Paris
  Agreement", "New Mexico"): the longest-match rule lets them swallow the alias.

A person's mention carries the roll-up to the person's affiliation on the article's date in
``via_actor_id`` (Mention(actor_id="yvette-cooper", via_actor_id="GBR")); no separate mention of the
affiliation is produced. People introduced with a role ("Finnish Defence Minister Jane Doe") who
are not in the registry are returned as Candidates.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema

from monitor.models import Candidate, Mention
from monitor.text import sentence_index, split_sentences

logger = logging.getLogger(__name__)

DATA_PATH = Path(__file__).resolve().parent / "data" / "actors.json"
SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
ACTORS_SCHEMA = SCHEMA_DIR / "actors.schema.json"

STRONG_KINDS = ("alias", "demonym", "metonym")
LIST_FIELDS = ("aliases", "demonyms", "metonyms", "short_names", "guarded_aliases")
UNDECOMPOSED = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "æ": "ae",
        "Æ": "AE",
        "ß": "ss",
        "ı": "i",
    }
)
MONTHS = frozenset(
    [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
MONTH_CONTEXT = frozenset(
    [
        "in",
        "of",
        "since",
        "until",
        "till",
        "by",
        "from",
        "early",
        "late",
        "mid",
        "last",
        "next",
        "this",
        "through",
        "before",
        "after",
        "during",
    ]
)
# Titles that make a bare surname safe ("President Putin", "Mr Healey").
TITLES = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|President|Chancellor|Premier|Minister|Secretary|Sir|Dame|Lady"
    r"|Lord|King|Queen|Prince|General|Gen|Envoy|Spokesman|Spokeswoman|Taoiseach|Leader|Senator"
    r"|Sen|Ambassador|Commissioner)\.?\s+)$"
)
PREVIOUS_WORD = re.compile(r"(\S+)\s*$")
NEXT_WORD = re.compile(r"\s*(\S+)")
CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-Þ][a-zß-öø-ÿ]")
GEORGIA_US_CONTEXT = re.compile(
    r"\b(?:Atlanta|Savannah|Augusta|Peach State|governor|Gov\.|county|County|Senate race|GOP"
    r"|Republicans?|Democrats?|Democratic|state legislature|Kemp|Warnock|Ossoff|Bulldogs|Georgia,"
    r" USA|U\.S\. state|US state|Alabama|Florida|Carolina|Tennessee)\b"
)
FOOD_WORDS = frozenset(
    [
        "dinner",
        "sandwich",
        "sandwiches",
        "breast",
        "meat",
        "farm",
        "farms",
        "roast",
        "burger",
        "burgers",
        "bacon",
        "leg",
        "legs",
        "day",
        "feast",
    ]
)
ROLE_TITLE = (
    r"(?:(?:Deputy|Vice|Acting|Interim|Former|former|Junior|Senior|Chief)[ -])?"
    r"(?:Prime Minister|President|Vice[- ]President|Chancellor(?: of the Exchequer)?"
    r"|(?:Foreign|Defen[cs]e|Home|Interior|Finance|Economy|Economic|Trade|Energy|Justice|Health"
    r"|Security|Armed Forces|Europe|European Affairs|Foreign Affairs)"
    r" (?:Minister|Secretary|Chief|Adviser|Advisor)"
    r"|Minister(?: of [A-Z][a-z]+(?: and [A-Z][a-z]+)?| for [A-Z][a-z]+(?: [A-Z][a-z]+)?)?"
    r"|Secretary of (?:State|Defen[cs]e|War|the Treasury)|Treasury Secretary|Secretary[- ]General"
    r"|National Security Adviser|Ambassador|(?:Special )?Envoy|Spokes(?:man|woman|person)"
    r"|Senator|Sen\.|Governor|Mayor|General|Gen\.|Admiral|Adm\.|Commissioner|High Representative"
    r"|Queen|King|Crown Prince|Premier|Chief of Staff|Commander|Lieutenant General|Lt\. Gen\."
    r"|Army Chief|Taoiseach|Opposition Leader|MEP|MP|Lawmaker|Speaker)"
)
NAME = (
    r"[A-ZÀ-ÖØ-Þ][\w’'-]+(?:\s+(?:[A-Z]\.\s+)?(?:(?:van|von|der|den|de|da|del|di|du|la|le|al|bin"
    r"|ibn)\s+)*[A-ZÀ-ÖØ-Þ][\w’'-]+){1,3}"
)
CANDIDATE = re.compile(rf"\b(?P<role>{ROLE_TITLE})\s+(?P<name>{NAME})")
# Where a role title can start: a word beginning with a capital (or the "f" of "former").
# CANDIDATE starts with a look-around the regex engine cannot skip ahead for; this can.
ROLE_START = re.compile(r"[A-Zf](?<!\w[A-Zf])")
POSSESSIVE_TAIL = re.compile(r"['’]s$")


@dataclass
class Registry:
    """Loaded actors with a compiled matcher (build once, reuse for many articles)."""

    actors: dict[str, dict[str, Any]]
    blockers: list[str] = field(default_factory=list)
    surfaces: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    pattern: re.Pattern[str] = field(init=False, repr=False)
    guarded: set[tuple[str, str]] = field(default_factory=set)
    person_names: set[str] = field(default_factory=set)
    standalone: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        """Compile the surface index and the matcher."""
        self.compile()

    def compile(self) -> None:
        """(Re)build the surface index and the trie regex from the actors."""
        surfaces: dict[str, list[tuple[str, str]]] = {}
        for actor in self.actors.values():
            for kind, key in (
                ("alias", "aliases"),
                ("demonym", "demonyms"),
                ("metonym", "metonyms"),
                ("short", "short_names"),
            ):
                for text in actor.get(key, []):
                    for variant in surface_variants(text, capitals=kind != "short"):
                        entries = surfaces.setdefault(variant, [])
                        if (actor["id"], kind) not in entries:
                            entries.append((actor["id"], kind))
            for text in actor.get("guarded_aliases", []):
                self.guarded.update((actor["id"], v) for v in surface_variants(text, False))
            if actor.get("unambiguous_short_names"):
                self.standalone.add(actor["id"])
            if actor.get("type") == "person":
                self.person_names.update(fold(a) for a in actor.get("aliases", []))
                self.person_names.update(fold(a) for a in actor.get("short_names", []))
        for text in self.blockers:
            for variant in surface_variants(text, capitals=False):
                surfaces.setdefault(variant, []).insert(0, ("", "blocker"))
        self.surfaces = surfaces
        body = trie_regex(sorted(surfaces), guard=_not_after_word)
        self.pattern = re.compile(rf"(?:{body})(?![\w+])")

    def get(self, actor_id: str) -> dict[str, Any] | None:
        """The registry entry of an actor id."""
        return self.actors.get(actor_id)

    def type_of(self, actor_id: str) -> str | None:
        """The actor's type (country, organisation, person, ...); None when unregistered."""
        return self.actors.get(actor_id, {}).get("type")

    def __contains__(self, actor_id: object) -> bool:
        """Whether the id names a registered actor."""
        return actor_id in self.actors

    def __len__(self) -> int:
        """Number of actors."""
        return len(self.actors)


def fold(text: str) -> str:
    """ASCII folding: accents dropped ("Élysée" -> "Elysee")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def surface_variants(text: str, capitals: bool) -> list[str]:
    """A surface with its accent-free, curly-apostrophe and (optionally) all-caps variants."""
    variants = {text, fold(text)}
    for variant in list(variants):
        variants.add(variant.replace("'", "’"))
    if capitals and len(text) >= 4:
        variants.update(v.upper() for v in list(variants))
    return sorted(variants)


def trie_regex(words: list[str], guard: Callable[[str], str] | None = None) -> str:
    """A regex alternation of words built as a character trie (fast, longest first).

    ``guard(char)`` is put after each first character (a look-behind about what precedes the
    word): the regex then starts with plain characters, and the engine skips straight to the
    positions where a word can start instead of trying a look-behind at every position.
    """
    trie: dict[str, Any] = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _trie_node(trie, guard)


def _not_after_word(char: str) -> str:
    """Guard of a surface's first character: no word character, "@" or "#" just before it."""
    return rf"(?<![\w@#]{re.escape(char)})"


def _trie_node(node: dict[str, Any], guard: Callable[[str], str] | None = None) -> str:
    """Regex of one trie node (with the guard after the characters of this node)."""
    terminal = "" in node
    branches = [
        re.escape(char) + (guard(char) if guard else "") + _trie_node(child)
        for char, child in sorted(node.items())
        if char
    ]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 and not terminal else "(?:" + "|".join(branches) + ")"
    if terminal:
        return (body if body.startswith("(?:") else "(?:" + body + ")") + "?"
    return body


def load_registry(
    extra_actors: list[dict] | None = None, path: str | Path | None = None
) -> Registry:
    """Load the registry file (default: the shipped one) and merge the user's extra actors."""
    source = Path(path) if path else DATA_PATH
    document = json.loads(source.read_text(encoding="utf-8"))
    schema = _schema()
    if schema is not None:
        _validate(document, schema, str(source))
    actors = {actor["id"]: actor for actor in document["actors"]}
    for entry in extra_actors or []:
        _merge(actors, entry, schema)
    registry = Registry(actors=actors, blockers=list(document.get("blockers", [])))
    logger.debug("registry: %d actors, %d surfaces", len(actors), len(registry.surfaces))
    return registry


def _schema() -> dict[str, Any] | None:
    """The actors JSON Schema, when the schemas directory is available."""
    if not ACTORS_SCHEMA.exists():
        logger.warning("actors schema not found at %s: registry not validated", ACTORS_SCHEMA)
        return None
    return json.loads(ACTORS_SCHEMA.read_text(encoding="utf-8"))


def _validate(document: dict[str, Any], schema: dict[str, Any], source: str) -> None:
    """Validate the registry document, raising ValueError naming the actor and field."""
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(schema).iter_errors(document)
    )
    if error is None:
        return
    path = list(error.absolute_path)
    actor_id = "?"
    if len(path) >= 2 and path[0] == "actors" and isinstance(path[1], int):
        actor_id = document["actors"][path[1]].get("id", f"#{path[1]}")
        path = path[2:]
    raise ValueError(
        f"{source}: actor {actor_id!r}, field {_field(error, path)!r}: {error.message}"
    )


def _field(error: jsonschema.ValidationError, path: list[Any]) -> str:
    """The offending field of a validation error."""
    if path:
        return ".".join(str(part) for part in path)
    match = re.search(r"'(\w+)' is a required property", error.message)
    return match.group(1) if match else "(entry)"


def _merge(
    actors: dict[str, dict[str, Any]], entry: dict[str, Any], schema: dict[str, Any] | None
) -> None:
    """Add a user actor, or extend/override an existing one; ValueError when invalid."""
    actor_id = entry.get("id") if isinstance(entry, dict) else None
    if schema is not None:
        patch = {"$defs": schema["$defs"], **schema["$defs"]["actor_patch"]}
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(patch).iter_errors(entry)
        )
        if error is not None:
            raise ValueError(
                f"configured actor {actor_id!r}, field "
                f"{_field(error, list(error.absolute_path))!r}: {error.message}"
            )
    if not isinstance(actor_id, str):
        raise ValueError("configured actor without an id, field 'id'")
    if actor_id not in actors:
        for required in ("type", "name"):
            if required not in entry:
                raise ValueError(
                    f"configured actor {actor_id!r}, field {required!r}: required for a new actor"
                )
        actors[actor_id] = copy.deepcopy(entry)
        return
    target = copy.deepcopy(actors[actor_id])
    for key, value in entry.items():
        if key in LIST_FIELDS:
            target[key] = list(dict.fromkeys([*target.get(key, []), *value]))
        else:
            target[key] = copy.deepcopy(value)
    actors[actor_id] = target


def _day(on: date | datetime | None) -> date | None:
    """A date from a date or datetime."""
    if isinstance(on, datetime):
        return on.date()
    return on


def role_on(actor_id: str, registry: Registry, on: date | datetime | None = None) -> dict | None:
    """The role a person held on a date (the current one when no date is given)."""
    actor = registry.get(actor_id)
    if not actor:
        return None
    roles = actor.get("roles") or []
    day = _day(on)
    if day is None:
        current = [role for role in roles if "until" not in role]
        return current[-1] if current else None
    held = [
        role
        for role in roles
        if role.get("since", "0000-00-00") <= day.isoformat() < role.get("until", "9999-99-99")
    ]
    return max(held, key=lambda role: role.get("since", "")) if held else None


def affiliation_of(
    actor_id: str, registry: Registry, on: date | datetime | None = None
) -> str | None:
    """The actor an actor rolls up to on a date: a person's role affiliation, an org's parent."""
    actor = registry.get(actor_id)
    if not actor:
        return None
    if actor.get("type") == "person":
        role = role_on(actor_id, registry, on)
        if role:
            return role["affiliation"]
        return actor.get("affiliation") if on is None else None
    return actor.get("affiliation")


def tag_actors(
    text: str, registry: Registry, published_at: datetime | None = None
) -> tuple[list[Mention], list[Candidate]]:
    """Mentions of registered actors and candidate people introduced with a role."""
    spans = split_sentences(text)
    return _mentions(text, registry, spans, published_at), _candidates(text, registry, spans)


def tag_actors_with_spans(
    text: str, registry: Registry, published_at: datetime | None, spans: list[tuple[int, int]]
) -> tuple[list[Mention], list[Candidate]]:
    """Like tag_actors, reusing sentence spans already computed."""
    return _mentions(text, registry, spans, published_at), _candidates(text, registry, spans)


def _mentions(
    text: str, registry: Registry, spans: list[tuple[int, int]], published_at: datetime | None
) -> list[Mention]:
    """Mentions found by the registry matcher, filtered by the case and context rules."""
    introduced: set[str] = set()
    vias: dict[str, str | None] = {}
    mentions: list[Mention] = []
    for match in registry.pattern.finditer(text):
        surface = match.group()
        actor_id = _resolve(
            text, match, registry.surfaces.get(surface, []), registry, introduced, spans
        )
        if not actor_id:
            continue
        introduced.add(actor_id)
        if actor_id not in vias:
            vias[actor_id] = _via(actor_id, registry, published_at)
        start, end = match.span()
        mentions.append(
            Mention(
                actor_id=actor_id,
                surface=surface,
                sentence_index=sentence_index(spans, start),
                char_start=start,
                char_end=end,
                via_actor_id=vias[actor_id],
            )
        )
    return mentions


def _via(actor_id: str, registry: Registry, published_at: datetime | None) -> str | None:
    """The actor a mention rolls up to: a person's affiliation on the date, an org's parent."""
    actor = registry.actors[actor_id]
    if actor.get("type") == "person":
        return affiliation_of(actor_id, registry, published_at)
    return actor.get("affiliation") or None


def _resolve(
    text: str,
    match: re.Match[str],
    entries: list[tuple[str, str]],
    registry: Registry,
    introduced: set[str],
    spans: list[tuple[int, int]],
) -> str | None:
    """The actor a matched surface names here, or None."""
    if not entries or entries[0][1] == "blocker":
        return None
    surface = match.group()
    shorts = [actor_id for actor_id, kind in entries if kind == "short"]
    for actor_id in shorts:
        if (actor_id in introduced or actor_id in registry.standalone) and _short_ok(text, match):
            return actor_id
    for actor_id, kind in entries:
        if kind in STRONG_KINDS:
            if (actor_id, surface) in registry.guarded and not _guard_ok(
                text, match, registry, spans
            ):
                continue
            return actor_id
    titled = TITLES.search(text, max(0, match.start() - 40), match.start())
    for actor_id in shorts:
        if titled and _short_ok(text, match):
            return actor_id
    return None


def _short_ok(text: str, match: re.Match[str]) -> bool:
    """Whether a short name is not a month name used as a date ("in May", "May 5")."""
    if match.group() not in MONTHS:
        return True
    after = NEXT_WORD.match(text, match.end())
    before = PREVIOUS_WORD.search(text, max(0, match.start() - 20), match.start())
    if after and after.group(1)[:1].isdigit():
        return False
    return not (before and before.group(1).lower().strip(",") in MONTH_CONTEXT)


def _guard_ok(
    text: str, match: re.Match[str], registry: Registry, spans: list[tuple[int, int]]
) -> bool:
    """Whether a guarded alias names its country in this context."""
    surface = fold(match.group())
    after = NEXT_WORD.match(text, match.end())
    next_word = after.group(1).strip(",.;:!?\"'’”)") if after else ""
    if (
        next_word
        and CAPITALISED.match(next_word)
        and not registry.pattern.fullmatch(next_word)
        and next_word not in ("And", "Or", "The", "In", "On", "As")
    ):
        return False
    start, end = spans[sentence_index(spans, match.start())] if spans else (0, len(text))
    before = PREVIOUS_WORD.search(text, max(start, match.start() - 30), match.start())
    prev_word = before.group(1).strip("\"'“‘(") if before else ""
    if (
        prev_word
        and CAPITALISED.match(prev_word)
        and not prev_word.endswith((",", ":", ";"))
        and not registry.pattern.fullmatch(prev_word)
        and before is not None
        and before.start() > start
        and prev_word not in ("President", "Prime", "King", "Queen")
    ):
        return False
    if surface == "Georgia" and GEORGIA_US_CONTEXT.search(text, start, end):
        return False
    return not (surface == "Turkey" and next_word.lower() in FOOD_WORDS)


def _candidates(text: str, registry: Registry, spans: list[tuple[int, int]]) -> list[Candidate]:
    """People introduced with a role title who are not in the registry."""
    candidates: list[Candidate] = []
    seen: set[str] = set()
    for match in _role_matches(text):
        name = POSSESSIVE_TAIL.sub("", match.group("name"))
        name = _trim_name(name, registry)
        if not name or len(name.split()) < 2 or _known_person(name, registry):
            continue
        name_start = match.start("name")
        if name in seen:
            continue
        seen.add(name)
        affiliation = _affiliation_near(text, match.start(), name_start + len(name), registry)
        candidates.append(
            Candidate(
                name=name,
                role=match.group("role"),
                surface=text[match.start() : name_start + len(name)],
                sentence_index=sentence_index(spans, match.start()),
                char_start=match.start(),
                char_end=name_start + len(name),
                affiliation=affiliation,
            )
        )
    return candidates


def _role_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of CANDIDATE.finditer(text), trying the regex only where a role can start."""
    end = 0
    for head in ROLE_START.finditer(text):
        match = CANDIDATE.match(text, head.start()) if head.start() >= end else None
        if match:
            end = match.end()
            yield match


def _trim_name(name: str, registry: Registry) -> str:
    """Drop trailing words of a name that are actors, months or sentence words."""
    words = name.split()
    while words and (
        words[-1] in MONTHS
        or registry.pattern.fullmatch(words[-1])
        or words[-1] in ("On", "In", "And", "The", "But")
    ):
        words.pop()
    return " ".join(words)


def _known_person(name: str, registry: Registry) -> bool:
    """Whether a name (or its surname) belongs to a registered person or names another actor."""
    folded = fold(name)
    if folded in registry.person_names:
        return True
    words = folded.split()
    for size in range(len(words), 0, -1):
        for i in range(len(words) - size + 1):
            piece = " ".join(words[i : i + size])
            if size >= 2 and piece in registry.person_names:
                return True
    return any(
        kind != "short" and kind != "blocker"
        for word in name.split()
        for _, kind in registry.surfaces.get(word, [])
    )


def _affiliation_near(text: str, role_start: int, name_end: int, registry: Registry) -> str | None:
    """The country or organisation named just before the role or as "of X" after the name."""
    before = text[max(0, role_start - 60) : role_start]
    stripped = re.sub(r"(?:['’]s)?\s*$", "", before)
    for match in registry.pattern.finditer(stripped):
        if match.end() == len(stripped):
            actor_id = _first_strong(registry, match.group())
            if actor_id:
                return actor_id
    after = re.match(r",?\s+of\s+(?:the\s+)?", text[name_end : name_end + 12])
    if after:
        following = registry.pattern.match(text, name_end + after.end())
        if following:
            return _first_strong(registry, following.group())
    return None


def _first_strong(registry: Registry, surface: str) -> str | None:
    """The first non-person actor a surface names strongly."""
    for actor_id, kind in registry.surfaces.get(surface, []):
        if kind in STRONG_KINDS and registry.actors[actor_id].get("type") != "person":
            return actor_id
    return None
