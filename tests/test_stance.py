"""Stance tagging: seed baselines, behaviours, gold evaluation and speed."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

import jsonschema
import pytest

from monitor.actors import load_registry, trie_regex
from monitor.models import Mention, Stance
from monitor.stance import (
    CueScanner,
    RuleStanceTagger,
    StanceTagger,
    Topic,
    _clauses,
    evaluate,
    format_report,
    load_topics,
    tag_article,
)

ROOT = Path(__file__).parents[1]
SEEDS = ROOT / "seeds"
GOLD = Path(__file__).parent / "data" / "stance_gold.jsonl"
# Blind held-out sets, written by someone who had not seen the rules, before the rules they
# measure were tuned (first-seen stance F1: a 0.80 with the then-current rules after the first
# round, b 0.70; c, wire leads, 0.61 and d, longer excerpts with cross-sentence references,
# 0.54, both on 2f04ce0; e 0.51 on 2f04ce0, 0.59 and 0.62 after two rounds of fixes made on c
# and d, never used to change a rule; f, written after those rounds, 0.64 on 2f04ce0, 0.67 now).
HELDOUT = {
    "stance_heldout_a.jsonl": 0.85,
    "stance_heldout_b.jsonl": 0.75,
    "stance_heldout_c.jsonl": 0.85,
    "stance_heldout_d.jsonl": 0.68,
    "stance_heldout_e.jsonl": 0.63,
    "stance_heldout_f.jsonl": 0.66,
    "stance_heldout_g.jsonl": 0.62,
}
D, P, T, A = "russia-dialogue", "pressure-on-russia", "troops-to-ukraine", "military-aid-ukraine"
SEED_000 = {
    ("GBR", D, "oppose"),
    ("GBR", P, "support"),
    ("GBR", A, "support"),
    ("GBR", T, "support"),
    ("FRA", D, "support"),
    ("FRA", T, "support"),
    ("ITA", D, "support"),
    ("DEU", T, "oppose"),
    ("ESP", T, "oppose"),
    ("yvette-cooper", D, "oppose"),
    ("yvette-cooper", P, "support"),
    ("john-healey", T, "support"),
    ("keir-starmer", T, "support"),
    ("emmanuel-macron", T, "support"),
}
SEED_003 = {
    ("GBR", D, "oppose"),
    ("GBR", P, "support"),
    ("FRA", D, "support"),
    ("ITA", D, "support"),
}
OPPOSITE = {"support": "oppose", "oppose": "support"}


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def topics():
    return load_topics()


def stances_of(text: str, registry, topics, published_at=datetime(2026, 1, 16)) -> set[tuple]:
    """(actor, topic, polarity) triples tagged in a text."""
    _, _, stances = tag_article(text, registry, topics, published_at)
    return {(s.actor_id, s.topic_id, s.polarity) for s in stances}


def seed_000() -> str:
    """Seed 000 from its headline on (the lines before are site furniture)."""
    text = (SEEDS / "000_3089e8b34c872a70.txt").read_text(encoding="utf-8")
    return text[text.index("UK Rejects") :]


def assert_baseline(found: set[tuple], expected: set[tuple]) -> None:
    """Every expected stance found and none contradicting one."""
    assert expected <= found, sorted(expected - found)
    contradictions = {(a, t, OPPOSITE[p]) for a, t, p in expected} & found
    assert not contradictions, sorted(contradictions)


def test_topics_file(topics) -> None:
    assert [topic.id for topic in topics] == [D, P, T, A]
    for topic in topics:
        assert topic.label and topic.description and topic.cues


def test_bad_topics_file_is_rejected(tmp_path) -> None:
    path = tmp_path / "topics.json"
    path.write_text(json.dumps({"version": 1, "topics": [{"id": "Bad Id", "label": "x"}]}))
    with pytest.raises(ValueError):
        load_topics(path)


def test_seed_000_baseline(registry, topics) -> None:
    found = stances_of(seed_000(), registry, topics)
    assert_baseline(found, SEED_000)
    assert not {s for s in found if s[0] in ("RUS", "vladimir-putin", "UKR", "donald-trump")}


def test_seed_003_baseline(registry, topics) -> None:
    text = (SEEDS / "003_a5c97dfcc15387b1.txt").read_text(encoding="utf-8")
    found = stances_of(text, registry, topics)
    assert_baseline(found, SEED_003)
    assert not {s for s in found if s[0] in ("RUS", "vladimir-putin", "EU", "NATO")}


def test_stance_evidence_is_the_sentence(registry, topics) -> None:
    text = seed_000()
    _, _, stances = tag_article(text, registry, topics, datetime(2026, 1, 16))
    for stance in stances:
        assert text[stance.char_start : stance.char_end] == stance.evidence
        assert 0.0 <= stance.confidence <= 1.0 and stance.method == "rules"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Germany will not send troops to Ukraine.", {("DEU", T, "oppose")}),
        ("Poland refused to rule out sending soldiers to Ukraine.", {("POL", T, "support")}),
        ("New sanctions on Russia were blocked by Hungary.", {("HUN", P, "oppose")}),
        ("Spain urged allies to lift sanctions on Russia.", {("ESP", P, "oppose")}),
        (
            "Sweden rejected calls by Hungary to reopen talks with Moscow.",
            {("SWE", D, "oppose"), ("HUN", D, "support")},
        ),
        (
            '"We will keep sending weapons to Kyiv," the Danish government said.',
            {("DNK", A, "support")},
        ),
        (
            "Finland and Estonia back a reassurance force for Ukraine, while Hungary is silent.",
            {("FIN", T, "support"), ("EST", T, "support")},
        ),
        ("Norway has paused arms deliveries to Ukraine.", {("NOR", A, "oppose")}),
        ("Slovenia remains undecided on sending troops to Ukraine.", {("SVN", T, "neutral")}),
        ("France discussed talks with Russia at the summit.", set()),
        ("Germany and Italy held a trade summit in Rome.", set()),
    ],
)
def test_rules(registry, topics, text, expected) -> None:
    assert stances_of(text, registry, topics) == expected


@pytest.mark.parametrize(
    "text",
    [
        "France backs new sanctions on Russia and wants talks with Moscow.",
        "Poland urged allies to isolate the Kremlin and to bring Moscow to the negotiating table.",
        "Zelensky said Russia was not ready for talks.",
        "There is no sign that Putin is ready to negotiate, Alexander Stubb said.",
        "Italy called for re-engagement with Putin and for pressure on Russia to be kept up.",
    ],
)
def test_target_as_object_gets_no_stance(registry, topics, text) -> None:
    found = stances_of(text, registry, topics)
    assert not {s for s in found if s[0] in ("RUS", "vladimir-putin") and s[1] in (D, P)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia rejected new sanctions and ruled out talks with Kyiv.", ("RUS", P, "oppose")),
        ("Moscow condemned the new sanctions on Wednesday.", ("RUS", P, "oppose")),
        ("The Kremlin said it was open to talks with Washington.", ("RUS", D, "support")),
        (
            "Sergei Lavrov said Moscow was ready for negotiations.",
            ("sergey-lavrov", D, "support"),
        ),
    ],
)
def test_target_as_subject_holds_a_stance(registry, topics, text, expected) -> None:
    assert expected in stances_of(text, registry, topics)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "India will keep buying Russian oil despite Western sanctions, officials said.",
            {("IND", P, "oppose")},
        ),
        (
            "Latvian Foreign Minister Baiba Braze arrived in Washington. The minister urged "
            "lawmakers to impose sanctions on buyers of Russian oil.",
            {("LVA", P, "support")},
        ),
        (
            "British Prime Minister Keir Starmer spoke with Volodymyr Zelensky. He said Britain "
            "would send more air defence missiles to Ukraine.",
            {("keir-starmer", A, "support"), ("GBR", A, "support")},
        ),
        (
            "Several EU member states, led by Hungary and Slovakia, are resisting a proposal to "
            "phase out Russian gas imports.",
            {("HUN", P, "oppose"), ("SVK", P, "oppose")},
        ),
        (
            "Kremlin aide Yuri Ushakov said Moscow saw no point in talks with European leaders "
            "who continued to arm Ukraine.",
            {("yuri-ushakov", D, "oppose"), ("RUS", D, "oppose")},
        ),
    ],
)
def test_generalisation_rules(registry, topics, text, expected) -> None:
    assert stances_of(text, registry, topics) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "WARSAW, May 4 (Reuters) - Poland will not send combat troops to Ukraine, nor "
            "station them near the front, Defence Minister Wladyslaw Kosiniak-Kamysz said.",
            {("POL", T, "oppose"), ("wladyslaw-kosiniak-kamysz", T, "oppose")},
        ),
        (
            "A plan to keep Russian central bank assets frozen was endorsed on Friday by Dutch "
            "Prime Minister Dick Schoof.",
            {("dick-schoof", P, "support"), ("NLD", P, "support")},
        ),
        (
            "Latvia's prime minister Evika Silina warned on Tuesday against premature talks with "
            "the Kremlin.",
            {("evika-silina", D, "oppose"), ("LVA", D, "oppose")},
        ),
        (
            "Indonesia will neither endorse nor oppose new sanctions on Russia, its foreign "
            "ministry said.",
            {("IDN", P, "neutral")},
        ),
        (
            'Sending Dutch soldiers to Ukraine was "not on the table for now", the Netherlands\' '
            "prime minister Dick Schoof said.",
            {("dick-schoof", T, "oppose"), ("NLD", T, "oppose")},
        ),
        (
            "Pope Leo urged Russia and Ukraine to return to the negotiating table. Brazil's "
            "President Luiz Inacio Lula da Silva urged Moscow and Kyiv to resume talks.",
            {("luiz-inacio-lula-da-silva", D, "support"), ("BRA", D, "support")},
        ),
        (
            "Hungary will not back the next sanctions package on Russia unless oil deliveries "
            "are restored, Foreign Minister Peter Szijjarto said.",
            {("HUN", P, "oppose"), ("peter-szijjarto", P, "oppose")},
        ),
        (
            "Portugal said it would train pilots at home rather than deploy troops to Ukraine.",
            {("PRT", T, "oppose")},
        ),
        (
            'Any plan to send European forces to Ukraine, Sergei Lavrov said, was "a non-starter".',
            {("sergey-lavrov", T, "oppose"), ("RUS", T, "oppose")},
        ),
        (
            "Russia's economy is slowing. The European Union adopted its 20th sanctions package on "
            "Friday.",
            {("EU", P, "support")},
        ),
        (
            "Russia is watching the talks. The EU imposed sanctions on Iran on Monday.",
            set(),
        ),
        (
            "Ukraine needs more help. Poland will keep training Ukrainian soldiers at its bases.",
            {("POL", A, "support")},
        ),
        (
            "Australian Defence Minister Richard Marles said Canberra would ship more Bushmaster "
            "vehicles and drones to Ukraine.",
            {("richard-marles", A, "support"), ("AUS", A, "support")},
        ),
        (
            "President Donald Trump said he was holding off on new sanctions against Russia.",
            {("donald-trump", P, "oppose"), ("USA", P, "oppose")},
        ),
        (
            'Sergei Lavrov met reporters in Moscow. Talks with European envoys were "pointless", '
            "the Russian foreign minister said.",
            {("sergey-lavrov", D, "oppose"), ("RUS", D, "oppose")},
        ),
        (
            "Dmitry Peskov spoke to reporters. However, he described the new sanctions on "
            'Russia as "an unfriendly step".',
            {("dmitry-peskov", P, "oppose"), ("RUS", P, "oppose")},
        ),
        (
            "Keir Starmer met Emmanuel Macron in Paris. Volodymyr Zelensky spoke in Kyiv, and he "
            "said he was ready to meet Vladimir Putin in Geneva.",
            {("volodymyr-zelensky", D, "support"), ("UKR", D, "support")},
        ),
        (
            "Donald Trump, who last year threatened tariffs on buyers of Russian oil, said he "
            "wanted talks with Vladimir Putin.",
            {("donald-trump", D, "support"), ("USA", D, "support")},
        ),
        (
            'Wang Yi said that sending foreign troops to Ukraine would be "a grave mistake".',
            {("wang-yi", T, "oppose"), ("CHN", T, "oppose")},
        ),
        (
            "Brazil's Mauro Vieira and China's Wang Yi urged Russia and Ukraine to hold direct "
            "talks.",
            {
                ("mauro-vieira", D, "support"),
                ("BRA", D, "support"),
                ("wang-yi", D, "support"),
                ("CHN", D, "support"),
            },
        ),
        (
            "Alexander Stubb said Europe would eventually have to sit down with Russia.",
            {("alexander-stubb", D, "support"), ("FIN", D, "support")},
        ),
        (
            "Mette Frederiksen warned European capitals against easing sanctions on Russia.",
            {("mette-frederiksen", P, "support"), ("DNK", P, "support")},
        ),
        (
            "Richard Marles said Australia had not made a decision on sending troops to Ukraine.",
            {("richard-marles", T, "neutral"), ("AUS", T, "neutral")},
        ),
        (
            "Norway will spend a further 5 billion kroner on air defence for Ukraine, Jonas Gahr "
            "Store said.",
            {("jonas-gahr-store", A, "support"), ("NOR", A, "support")},
        ),
        (
            "Donald Trump declined to back new sanctions on Russia, saying he wanted to give the "
            "peace talks more time.",
            {
                ("donald-trump", P, "oppose"),
                ("USA", P, "oppose"),
                ("donald-trump", D, "support"),
                ("USA", D, "support"),
            },
        ),
        ("Michal: EU must go after Russia's shadow fleet insurers in next sanctions round", set()),
        (
            "Viktor Orban refused to lift his veto on new sanctions against Russia.",
            {("viktor-orban", P, "oppose"), ("HUN", P, "oppose")},
        ),
    ],
)
def test_news_constructions(registry, topics, text, expected) -> None:
    """Datelines, "not ... nor", passive agents behind titles, time phrases, "neither ... nor",
    quoted predicates, addressed lists, a speaker after their government, "rather than",
    "X said, was ...", the target named in another sentence (but not "sanctions on Iran"), one
    topic's cue inside another's ("training Ukrainian soldiers"), aid verbs ("ship"), holding
    off, role-noun speakers ("the Russian foreign minister said"), "However, he described ...
    as", a pronoun after a person named earlier in its sentence, a holder's past in a relative
    clause, a gerund subject ("that sending troops would be ..."), possessive coordination,
    obligation ("would have to sit down"), "warned X against", "not made a decision", spending,
    a participle report (", saying he wanted ..."), a headline's speaker ("Michal: EU must ...")
    and lifting a veto."""
    assert stances_of(text, registry, topics, datetime(2026, 5, 4)) == expected


def test_person_in_office_rolls_up_and_former_one_does_not(registry, topics) -> None:
    text = "Friedrich Merz said Germany would not send troops to Ukraine."
    assert {("friedrich-merz", T, "oppose"), ("DEU", T, "oppose")} <= stances_of(
        text, registry, topics
    )
    text = "Theresa May said sanctions on Russia should be tightened."
    found = stances_of(text, registry, topics)
    assert ("theresa-may", P, "support") in found and ("GBR", P, "support") not in found


class FixedTagger:
    """A stand-in model tagger: proves the Protocol is all evaluate needs."""

    name = "fixed"

    def tag(
        self,
        text: str,
        mentions: list[Mention],
        registry,
        topics: list[Topic],
        published_at: datetime | None = None,
    ) -> list[Stance]:
        return [
            Stance(m.actor_id, topics[0].id, "support", 0.5, text, 0, len(text))
            for m in mentions[:1]
        ]


def test_tagger_protocol_and_evaluate_with_another_tagger(tmp_path, registry, topics) -> None:
    tagger: StanceTagger = FixedTagger()
    gold = tmp_path / "gold.jsonl"
    gold.write_text(
        json.dumps(
            {
                "id": "x",
                "text": "France backs talks with Russia.",
                "actors": ["FRA", "RUS"],
                "stances": [{"actor": "FRA", "topic": D, "polarity": "oppose"}],
            }
        )
        + "\n"
    )
    result = evaluate(gold, registry, topics, tagger)
    assert result["n_items"] == 1 and result["actors"]["f1"] == 1.0
    assert result["stances"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert result["misses"] == [
        {"id": "x", "kind": "stance", "actor": "FRA", "topic": D, "polarity": "oppose"}
    ]
    assert result["false_hits"][0]["polarity"] == "support"
    assert isinstance(RuleStanceTagger(), StanceTagger) and isinstance(tagger, StanceTagger)
    report = format_report(result)
    assert "stances" in report and "x: stance FRA russia-dialogue oppose" in report


def test_gold_evaluation(registry, topics) -> None:
    result = evaluate(GOLD, registry, topics)
    assert result["n_items"] >= 80
    assert result["stances"]["f1"] >= 0.85, format_report(result)
    assert result["actors"]["f1"] >= 0.95, format_report(result)
    assert set(result["by_part"]) >= {"1", "2"}


@pytest.mark.parametrize(("name", "bound"), sorted(HELDOUT.items()))
def test_heldout_evaluation(registry, topics, name, bound) -> None:
    path = GOLD.parent / name
    schema = json.loads((ROOT / "schemas" / "stance-gold.schema.json").read_text("utf-8"))
    for line in path.read_text(encoding="utf-8").splitlines():
        jsonschema.validate(json.loads(line), schema)
    result = evaluate(path, registry, topics)
    assert result["n_items"] >= 30
    assert result["stances"]["f1"] >= bound, format_report(result)
    assert result["actors"]["f1"] >= 0.95, format_report(result)


def test_gold_covers_all_topics_and_polarities() -> None:
    items = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    schema = json.loads((ROOT / "schemas" / "stance-gold.schema.json").read_text("utf-8"))
    for item in items:
        jsonschema.validate(item, schema)
    assert len({item["id"] for item in items}) == len(items)
    triples = [(s["topic"], s["polarity"]) for item in items for s in item["stances"]]
    for topic in (D, P, T, A):
        assert (topic, "support") in triples and (topic, "oppose") in triples
    assert any(polarity == "neutral" for _, polarity in triples)
    assert sum(not item["stances"] for item in items) >= 8


def test_cue_scanner_tries_the_word_starts_and_currency_signs(topics) -> None:
    scanner = CueScanner(topics)
    # The plain form: a look-behind tried at every position (slower).
    plain = re.compile(r"(?:(?<!\w)|(?=[£$€]))(?=" + trie_regex(sorted(scanner.by_prefix)) + ")")
    texts = [
        seed_000(),
        "Aid: US$5bn of aid, €3bn (aid) and £2bn;-aid_aid",
        "aid",
        "",
        "€",
        "troops.Troops\ntroops",
    ]
    for text in texts:
        lowered = text.lower()
        assert scanner._heads(lowered) == [m.start() for m in plain.finditer(lowered)]


def test_clauses() -> None:
    text = (
        "While France backed talks, Germany refused; Italy agreed, but Spain said no and has "
        "since changed course, but also Poland. Britain but Ireland AND WILL go;x"
    )
    assert [text[a:b] for a, b in _clauses(text, 0, len(text))] == [
        "While France backed talks,",
        " Germany refused",
        "; Italy agreed",
        ", but Spain said no",
        " and has since changed course",
        ", but also Poland. Britain",
        " but Ireland",
        " AND WILL go",
        ";x",
    ]


def test_speed(registry, topics) -> None:
    texts = [seed_000(), (SEEDS / "003_a5c97dfcc15387b1.txt").read_text(encoding="utf-8")]
    tag_article(texts[0], registry, topics)
    best = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for i in range(60):
            tag_article(texts[i % 2], registry, topics, datetime(2026, 1, 16))
        best = max(best, 60 / (time.perf_counter() - start))
    assert best >= 100, f"{best:.0f} articles/s"
