"""Stance tagging: which actor supports or opposes which tracked topic, with the evidence sentence.

The default tagger (:class:`RuleStanceTagger`) is rule-based and offline. Per sentence:

1. Topic cues are found with each topic's vocabulary (``data/topics.json``); a cue counts only when
   a target of the topic (Russia for dialogue and pressure, Ukraine for troops and aid, or a person
   affiliated to one of them) is named in the sentence or, per topic, in the article. Negative cues
   ("lift sanctions", "isolate Russia", "halt aid") name the opposite of the topic.
2. The sentence is split into clauses at ";", ", while", ", but", ", whereas" and after a leading
   "While/Although/Whereas/As ..." clause.
3. In each clause the actor mentions are sorted into holders (possible subjects) and others:
   objects (after "with", "on", "to", "for", "between"...), owners of a cue ("British troops"),
   modifiers of a person ("French President Emmanuel Macron": the person is the holder) and the
   topic's targets (Russia cannot hold a stance on pressure on Russia) are skipped.
4. Each holder's polarity comes from the words between it and the next holder or cue: support
   words (+1), oppose words (-1) and negations (-1) multiply ("refused to rule out sending troops"
   is support), and a negative cue flips the result. A holder followed only by "and" or a title
   inherits the next holder's polarity ("France and Italy call for..."); a holder whose predicate
   governs the next holder multiplies through it ("distanced itself from calls by France to
   reopen talks": France supports, the UK opposes). Passive agents ("allocated by the UK"),
   speakers after a quote ("..., Cooper stated"), "he/she" at a clause start and pronoun objects
   ("Germany rejected the idea") are handled; contrast phrases ("at odds with", "diverges from")
   give no polarity. Quoted words with no cue are ignored (they belong to someone else's claim).

Roll-up: a person speaking in an official role (``speaks_for``, the default) also gives the same
stance, at 0.9 times the confidence, to the role's affiliation on the article's date (Yvette Cooper
as Foreign Secretary opposing dialogue makes GBR oppose it too); an organisation with a parent
(European Commission -> EU) likewise. Per article, when an actor ends up both supporting and
opposing a topic, only the polarity with the greater total confidence is kept.
"""

from __future__ import annotations

import bisect
import functools
import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import jsonschema

from monitor.actors import ROLE_TITLE as ACTOR_ROLE_TITLE
from monitor.actors import (
    Registry,
    affiliation_of,
    load_registry,
    role_on,
    tag_actors_with_spans,
    trie_regex,
)
from monitor.models import Mention, Stance
from monitor.text import split_sentences

logger = logging.getLogger(__name__)

DATA_PATH = Path(__file__).resolve().parent / "data" / "topics.json"
TOPICS_SCHEMA = Path(__file__).resolve().parents[2] / "schemas" / "topics.schema.json"
POLARITIES = {1: "support", -1: "oppose", 0: "neutral"}

NEUTRAL_TERMS = (
    r"undecided|non-?committal|yet to (?:decide|take a (?:position|stance)|make up \w+ mind)"
    r"|ha(?:s|ve) not (?:yet )?decided|declin\w+ to (?:comment|say|specify|elaborate|take (?:a )?"
    r"(?:position|side|stance)s?|be drawn)|refus\w+ to (?:comment|be drawn)|remain\w* neutral"
    r"|ambivalent|on the fence|no decision|not (?:yet )?(?:made|taken|reached) (?:a|any) decision"
    r"|not (?:yet )?been decided|undetermined|wait-and-see"
    r"|mull\w*|weigh\w*(?: up)? (?:whether|the|its|their|"
    r"options)|no (?:clear |firm )?(?:position|stance)|stopp?\w* short of (?:endorsing|backing|"
    r"taking|committing)|kept (?:its|their|his|her) options open|keep\w* (?:its|their|his|her) "
    r"options open|neither (?:back|endors|support|oppos|reject)\w* nor (?:back|endors|support"
    r"|oppos|reject)\w*"
)
OPPOSE_TERMS = (
    r"warn\w* (?:against|of)|(?:warn|caution|advis)\w* (?:[\w-]+ ){1,3}?against|argu\w+ against"
    r"|vot\w+ against|c[oa]me?\w* out against"
    r"|spoke out against|speak\w* out against|stand\w* (?:firm(?:ly)? )?against"
    r"|(?:is|are|was|were|remains?|remained|stays?|stayed) (?:firmly |strongly |still )?against"
    r"|push\w* back (?:against|on)|pour\w* cold water on|throw\w* cold water on"
    r"|threw cold water on|rul\w+ out|distanc\w+ (?:\w+ )?from|distanc\w+ (?:itself|themselves)"
    r"|critical of|no (?:credible |real |genuine |serious )?(?:interest|appetite|intention|plans?"
    r"|desire|willingness|need) (?:in|to|for)|not interested|refrain\w* from|steer\w* clear of"
    r"|caution\w* against|turn\w* down|backtrack\w*|back(?:ed|s|ing)? away from"
    r"|walk\w* away from|balk\w* at|cast\w* doubt on|hesitan\w+|reluctan\w+|unwilling\w*"
    r"|declin\w+ to|opposed?|oppos\w+|reject\w*|rebuff\w*|refus\w+|dismiss\w*|resist\w*|block\w*"
    r"|veto\w*|obstruct\w*|wary|skeptic\w*|sceptic\w*|counter(?:ed|ing|s)?|criticis\w+"
    r"|criticiz\w+|condemn\w*|denounc\w+|shun\w*|shelv\w+|scrap\w*|abandon\w*|hesitat\w+"
    r"|doubtful|objects? to|object(?:ed|ing) to|objections? to|disagree\w*|frown\w* on"
    r"|split(?:s)? with|bristl\w+ at|questioned|questions? (?:the|whether)"
    r"|little (?:appetite|interest|support|enthusiasm|willingness)|out of the question"
    r"|off the table|not on the table|no place for|dead end|non-starter|waste of time|pointless"
    r"|futile|useless|meaningless|no point|cautious (?:about|on|over)"
    r"|caution(?:ed|s)? (?:about|over)|reservations?|misgivings|objections?|spurn\w*|snub\w*"
    r"|slam\w*|lambast\w*|decr(?:y|ies|ied|ying)|torpedo\w*|shoot\w* down|shot down|stall\w*"
    r"|drag\w* (?:its|their|his|her) feet|stand\w* in the way|water\w* down|hold\w* up|held up"
    r"|mistake|trap|folly|betrayal|capitulation|unacceptable|illegal|theft|provocat\w+"
    r"|exclud\w+|retaliat\w+|hit\w* back|add\w* fuel to the fire|pour\w* oil on the fire"
    r"|protest\w*|unfriendly|hostile (?:act|step|move)|h[oe]ld\w* off|put\w* off|postpon\w+"
    r"|exempt\w*|carve-?outs?|opt-?outs?|waivers?|representations|complain\w*|summon\w*"
    r"|respond\w* (?:to|against) any|cool\w* (?:on|to(?:wards?)?)|bad idea|dangerous|a gift to"
    r"|dropp\w*|drops?"
)
SUPPORT_TERMS = (
    r"call\w* (?:for|on|to)|push\w* (?:for|to)|press\w* (?:for|ahead)|argu\w+ (?:for|in favou?r)"
    r"|mak\w+ the case for|made the case for|lobb\w+|in favou?r of|step\w* up|ramp\w* up"
    r"|doubl\w* down|doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|sign\w* (?:off|up) (?:on|to)"
    r"|agree\w* (?:to|on)|decid\w+ to|plan\w* to"
    r"|ready to|prepared to|willing to|stand\w* ready|open to|insist\w* on|stress\w* the need"
    r"|keep\w* up|kept up|commit\w*|go(?:es)? ahead with|went ahead with|green-?light\w*"
    r"|throw\w* (?:its|their|his|her) weight behind|threw (?:its|their|his|her) weight behind"
    r"|put forward|set out plans|emphasis on|insistence|expressed (?:support|intentions?|"
    r"readiness|willingness)|urg\w+|push(?:es|ed|ing)?|backs|backed|backing|back\b"
    r"|support(?:s|ed|ing|ive)?|advocat\w+|favou?r\w*|champion\w*|endors\w+|welcom\w+|pledg\w+"
    r"|promis\w+|allocat\w+|earmark\w+|provid\w+|deliver\w*|suppl(?:y|ies|ied|ying)|send(?:s|ing)?"
    r"|sent|approv\w+|announc\w+|unveil\w+|intend\w*|intention\w*|willing\w*"
    r"|readiness|preparations?|prepar\w+|openness|seek\w*|sought|want\w*|propos\w+|suggest\w+"
    r"|prioriti[sz]\w+|boost\w*|increas\w+|expand\w*|extend\w*|tighten\w*|escalat\w*"
    r"|intensif\w+|maintain\w*|continu\w+|consider\w*|explor\w+|vow\w*|demand\w*|spearhead\w*"
    r"|reopen\w*|resum\w+|restor\w+|renew\w*|reviv\w+|insist\w*|fund(?:s|ed|ing)?|financ\w+"
    r"|train\w*|join\w*|initiat\w+|embrac\w+|pursu\w+|adopt\w*|appeals?|plans?|bid|initiative"
    r"|encourag\w+|favored|favoured|guarantee\w*|secur(?:e|ed|ing) (?:funding|approval)"
    r"|ask\w* (?:\w+ ){0,3}?for|request\w*|participat\w+|take part|took part|contribut\w+"
    r"|keep\w* (?:\w+ ){0,3}open|help(?:s|ed|ing)?|offer\w*|set\w* aside|set aside|earmark\w*"
    r"|aim\w* to|seek\w*|strengthen\w*|reinforc\w+|accelerat\w+|speed\w* up|ready for|open for"
    r"|impos\w+|introduc\w+|slap\w*|lev(?:y|ies|ied|ying)|work\w* (?:on|towards?|to)|keep\w*|kept"
    r"|useful|important|necessary|essential|vital|crucial|worthwhile|sensible|time to|need\w* to"
    r"|on the agenda|host\w*|broker\w*|facilitat\w+|reaffirm\w*|rall\w+ behind"
    r"|accept\w*|allow\w*|permit\w*|appoint\w*|threaten\w*|stand\w* by|stick\w* (?:to|with)"
    r"|agreed|agrees|confirm\w*(?!\s+that\b)|ship(?:s|ped|ping)?|donat\w+|hand\w* over"
    r"|float\w*|releas\w+|disburs\w+|pay(?:s|ing)? for|paid for|valu(?:e|es|ed|ing)"
    r"|appreciat\w+|effective|the (?:best|right|only) (?:way|option|path|approach)|way forward"
    r"|stay\w* the course|hold\w* the line|h[oe]ld\w* firm|should|must|ought to|ha(?:ve|s) to"
    r"|lift\w* (?:\w+ ){0,2}?vetoe?s?|unblock\w*"
    r"|spend(?:s|ing)?|spent"
)
NEGATION_TERMS = (
    r"not(?! only)|n[’']t|no|never|neither|nor|no longer|cannot|nothing|none|rather than|instead of"
    r"|fail\w* to|unable to"
)
LEXICON = re.compile(
    rf"\b(?:(?P<neutral>{NEUTRAL_TERMS})|(?P<oppose>{OPPOSE_TERMS})|(?P<negation>"
    rf"{NEGATION_TERMS})|(?P<support>{SUPPORT_TERMS}))\b",
    re.IGNORECASE,
)
# Time phrases and manner adverbs between a verb and its particle ("warned on Thursday against").
TIME_PHRASE = re.compile(
    r"(?<=\w)\s+(?:(?:late|early|earlier|later)\s+)?(?:on\s+)?(?:Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?\b"
    r"|(?<=\w)\s+(?:again|also|publicly|openly|repeatedly|firmly|strongly|flatly|categorically"
    r"|explicitly|today|yesterday)\b(?=\s)"
)
# A gerund whose object is the cue, as the subject of a clause ("that sending troops ...").
GERUND_SUBJECT = re.compile(r"(?:\bthat|^|[,:])\s+\w+ing(?:\s+[\w’'-]+){0,2}\s*$")
# A relative clause after a complement ('as "an unfriendly step" that would not change ...').
RELATIVE_AFTER = re.compile(r"[\"”]?\s+(?:that|which|who)\s")
# "no sign that Moscow was ready": what follows is someone else's position, not the holder's.
NO_EVIDENCE = re.compile(
    r"\b(?:no|little|any|some|every|few) (?:signs?|indications?|evidence|proof)\b"
    r"|\bsigns? (?:that|of)\b",
    re.IGNORECASE,
)
# A topic word aimed at another country: "sanctions on Iran", "troops to Lithuania", "aid for Gaza".
OTHER_TARGET_BEFORE = re.compile(
    r"\b(?:sanction\w*|pressure|embargo\w*|tariffs?|troops?|soldiers?|forces|deploy\w*|aid"
    r"|assistance|support|weapons|arms|ammunition|missiles|loans?|funding|talks|negotiations"
    r"|dialogue|contacts|envoys?|summit)\s+(?:\w+\s+){0,2}?"
    r"(?:on|against|targeting|to|into|in|with|for|at|from)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# A headline that names its speaker before a colon ("Michal: EU must go after ..."): the words
# after the colon are the speaker's, so an actor named there is what they ask of it, not its own
# stance. The speaker is a registered person, or a single name that is no section label
# ("Analysis:", "Live:", "World:"); "Potential Troop Deployment:" is a label too.
HEADLINE_SPEAKER = re.compile(r"[A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,2}:\s")
HEADLINE_LABELS = re.compile(
    r"(?:analysis|explainer|live|watch|opinion|update|updated|breaking|exclusive|factbox|timeline"
    r"|comment|editorial|interview|podcast|video|photos|review|preview|profile|insight|focus"
    r"|graphic|briefing|newsletter|latest|world|europe|politics|business|markets|economy|sport"
    r"|culture|science|tech|health|defence|defense|diplomacy|security|energy|climate|war|news"
    r"|report|correction|statement|transcript|summary|recap|background|context|quote|quotes)$",
    re.IGNORECASE,
)
# A participle that reports what the holder said next (", saying he wanted ...").
PARTICIPLE_REPORT = re.compile(r",\s+(?:saying|adding|noting|explaining)\s+(?:that\s+)?")
CONTRAST = re.compile(
    r"\b(?:at odds with|diverg\w*(?: \w+ly)? (?:from|with)|contrast\w*(?: \w+ly)? with"
    r"|in contrast to|clash\w* with|differ\w*(?: \w+ly)? from|unlike|out of step with"
    r"|break\w* (?:ranks )?with|rift with|split between|divided over)\b",
    re.IGNORECASE,
)
# Words that may stand between "by" and a person: "by NATO Secretary General Mark Rutte",
# "by Hungary's Viktor Orban", "by the EU's foreign policy chief Kaja Kallas".
TITLE_CHAIN = (
    r"(?:[Tt]he\s+)?(?:(?:[A-Z][\w’'.-]*|[\w’'.-]+['’]s|foreign|defen[cs]e|policy|prime|deputy"
    r"|chief|minister|secretary|president|spokes\w+|general|affairs|head)\s+){0,6}"
)
PROPOSAL_BEFORE = re.compile(
    r"\b(?i:calls?|push|pushes|proposals?|suggestions?|appeals?|demands?|requests?|plans?|bids?"
    r"|initiatives?|efforts?|offers?|pleas?|pressure|urging|advocacy|ideas?|decisions?|moves?)"
    rf"\s+(?:by|from)\s+{TITLE_CHAIN}$"
)
# "by the UK", "by NATO Secretary General Mark Rutte": title words may stand between.
AGENT_BEFORE = re.compile(rf"\b[Bb]y\s+{TITLE_CHAIN}$")
AGENT_WINDOW = 70
OBJECT_PREPOSITIONS = frozenset(
    re.findall(
        r"\S+",
        """
        with on against to toward towards into from for in of between over at about among
        amongst involving onto upon across than like via beyond within inside near after before
        behind around through under amid despite
        """,
    )
)
DETERMINERS = frozenset(
    re.findall(
        r"\S+",
        """
        the a an its their his her our
        """,
    )
)
COORDINATION = re.compile(
    r"^(?:\s|,|and|or|&|as well as|along with|together with|alongside|both|including|plus"
    r"|joined by|backed by|government of|administration of|cabinet of|;)*$",
    re.IGNORECASE,
)
MODIFIER_GAP = re.compile(
    r"^(?:['’]s?)?\s+(?:(?:[A-Z][\w.-]*|of|the|for|foreign|defen[cs]e|prime|deputy|vice|finance"
    r"|economy|interior|home|minister|secretary|president|chancellor|premier|spokes\w+|envoy"
    r"|special|ambassador|chief|head|leader|general|top|diplomat|former|new)\s+){0,5}$"
)
REPORTING_AFTER = re.compile(
    r"^\s*(?:[\w’'.-]+\s+){0,4}?(?:,\s*)?(?:has |had |have )?(?:said|says|stated|states|told|tells"
    r"|added|adds|insisted"
    r"|warned|argued|noted|wrote|declared|explained|stressed|emphasi[sz]ed|posted|tweeted"
    r"|maintained|claimed|announced|confirmed|replied|responded|remarked|observed|concluded"
    r"|reiterated|repeated|underlined|underscored|cautioned|acknowledged|admitted|signalled"
    r"|signaled|indicated|suggested|saying|adding|reaffirmed|said on \w+)\b",
    re.IGNORECASE,
)
REPORTED_IN = re.compile(
    r"\b(?:said|says|told|tells|warned|stated|insisted|argued|wrote|added that|described|branded"
    r"|labell?ed|termed|dubbed)\b",
    re.IGNORECASE,
)
PARENTHETICAL_REPORT = re.compile(
    r"\s*(?:said|says|added|insisted|argued|wrote|warned|told \w+)(?: on \w+)?\s*,\s*(?=\w)",
    re.IGNORECASE,
)
REPORTING_BEFORE = re.compile(r"\b(?:according to|said|says|added|told)\s+$", re.IGNORECASE)
ANAPHOR = re.compile(
    r"\b(?:it|them|this|that|these|those|the (?:idea|plan|proposal|move|step|suggestion|calls?|"
    r"push|initiative|measures?|option)|such (?:a )?(?:move|step|plan|idea|proposal|measures?))\b",
    re.IGNORECASE,
)
# "However, he ...", "In Brussels, she ...", "In his opening remarks the chancellor ...".
SENTENCE_ADVERBIAL = (
    r"(?:(?:However|But|And|Yet|Still|Meanwhile|Later|Separately|Earlier|Instead|Nevertheless"
    r"|Nonetheless|At the same time|(?:In|At|On|During|After|Speaking|Asked)\b[^,.;:\"“]{0,40}?)"
    r",?\s+)?"
)
PRONOUN_SUBJECT = re.compile(rf"\s*{SENTENCE_ADVERBIAL}[\"“‘']?([Hh]e|[Ss]he)\b")
# "the minister", "the Russian foreign minister", "the spokeswoman": an official named before.
ROLE_NOUN = (
    r"(?:[A-Z][\w-]+ )?(?:(?:foreign|defen[cs]e|prime|finance|deputy|vice|interior|economy|home) )?"
    r"(?:minister|chancellor|president|premier|secretary|spokes(?:man|woman|person)|envoy|leader"
    r"|diplomat|ambassador|taoiseach|commissioner)"
)
PRONOUN_SPEAKER = re.compile(
    r"[,\"”’]\s+(?:(?:though|although|but|and|while|as|because|whereas|yet)\s+)?"
    rf"(he|she|the {ROLE_NOUN})\s+"
    r"(?:said|added|stated|told|insisted|warned|argued|stressed|noted|wrote|posted|tweeted"
    r"|repeated|reiterated|explained|declared|announced|confirmed)\b"
)
# ";", ", while/but...", " but ", " and has/will...": every branch starts with the character set
# [;,\s] (each branch checks its own with a look-behind), so the engine skips ahead to those.
CLAUSE_BREAK = re.compile(
    r"[;,\s](?:(?<=;)|(?<=,)\s+(?:while|whereas|but|although|though|even as|yet)\b"
    r"|(?<=\s)\s*but\s+(?!also\b)"
    r"|(?<=\s)\s*and\s+(?=(?:has|have|had|is|are|was|were|will|would|also|instead|then|later)\b))",
    re.IGNORECASE,
)
LEADING_SUBORDINATE = re.compile(
    r"\s*(?:While|Whereas|Although|Though|As|Even as|Even though|Whilst|Asked|When asked|If"
    r"|Unless)\b[^,]{3,}?,"
)
QUOTED = re.compile(r"[\"“]([^\"“”]{1,400})[\"”]")
PREDICATE_QUOTE = re.compile(
    r"(?:would|will|could|can|cannot|can[’']t|is|was|are|were|must|should|won[’']t|isn[’']t"
    r"|wasn[’']t|would not|will not)\b",
    re.IGNORECASE,
)
PREDICATE_BEFORE = re.compile(
    r"\b(?:is|was|are|were|be|been|remains?|remained|seemed|as|called (?:it|them|this|that)"
    r"|called (?:the|such) \w+)\s*$",
    re.IGNORECASE,
)
SPEAKER_NOUN = re.compile(
    r"(?:officials?|government|governments|diplomats?|ministers?|ministry|leaders?|leadership"
    r"|authorities|sources?|spokes(?:man|woman|person)|lawmakers|legislators|parliament|mps"
    r"|administration|delegation|negotiators?|envoys?|ambassadors?|embassy|cabinet|coalition"
    r"|president|premier|chancellor|presidency|side|counterparts?|officers?|commanders?|military"
    r"|army|defen[cs]e|foreign|prime|secretary|head|heads|chief|chiefs)"
)
NEXT_WORD = re.compile(r"\s*([\w’'-]+)")
HYPOTHETICAL = re.compile(r"\b(?:whether|if)\b", re.IGNORECASE)
EVENT_BEFORE = re.compile(
    r"\b(?:after|before|during|following|ahead of|on the sidelines of|at the end of|at|since"
    r"|amid|while|as|until|once|when)\s+(?:the\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)
AUXILIARY_ONLY = re.compile(
    r"^(?:\s*(?:said|says|told \w+)(?: that)? (?:he|she|it|they|we) (?=will|would|was|is))?"
    r"(?:\s|,|has|have|had|is|are|was|were|will|would|could|should|must|may|might|shall|can"
    r"|be|been|being|also|now|already|quickly|recently|again|today|yesterday|jointly|soon|the"
    r"|on \w+day|this week|this year|to)*$",
    re.IGNORECASE,
)
MODAL_AFTER = re.compile(r"^\s*(?:should|must|ought to|needs? to|has to|have to)\b", re.IGNORECASE)
ABSOLUTE_WITH = re.compile(r"^(?:\s*(?:,|and)\s*[A-Z][\w’'-]*)*\s+\w+ing\b")
VERBAL_CUE = re.compile(
    r"^(?:deploy|send|meet|met|talk|negotiat|engag|re-?engag|sanction|impos|arm|freez|froze"
    r"|seiz|fund|financ|suppl|deliver|isolat|lift|eas|halt|paus|suspend|cut|stop|withdraw|pull"
    r"|block|reopen|station|mediat|speak|spoke|sit|reach|travel|visit|fl[yie]|tighten|squeez|blacklist|confiscat"
    r"|immobili|end|withh|reduc|scal|relax|roll|scrap|drop|waiv|unwind|unfreez|sever)",
    re.IGNORECASE,
)
REPORTING_ONLY = re.compile(
    r"^(?:['’]s\s+(?:[\w’'.-]+\s+){1,5}?)?\s*(?:,[^,;]{0,80},)?\s*,?\s*(?:(?:has|have|had)\s+)?"
    r"(?:said|says|told|tells|stated|added"
    r"|argued|insisted"
    r"|warned|declared|announced|confirmed|replied|wrote|noted|stressed|emphasi[sz]ed|explained"
    r"|reiterated|repeated|underlined|signalled|signaled|indicated|saying|adding|reaffirm\w*)"
    r"\b(?:[^,;]{0,60}?)(?:\bthat\b)?\s*(?:the\s+)?$",
    re.IGNORECASE,
)
ROLE_WORDS = frozenset(
    re.findall(
        r"\S+",
        """
        minister secretary president chancellor premier spokesman spokeswoman spokesperson envoy
        ambassador chief head leader general aide adviser advisor official negotiator
        """,
    )
)
SUBJECT_LEADERS = frozenset(
    re.findall(
        r"\S+",
        """
        and that the while but as when because since said whereas
        """,
    )
)
ADDRESSEE_BEFORE = re.compile(
    r"\b(?:urg\w+|call\w* on|press\w*|ask\w*|told|tell\w*|encourag\w+|persuad\w+|lobb\w+"
    r"|push\w*|warn\w*|invit\w+|appeal\w* to|implor\w+|exhort\w+|want\w*|expect\w*"
    r"|allow\w*|let|get|persuad\w+|convinc\w+)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "urged Russia and Ukraine to ...": every actor of the list is addressed.
ADDRESSEE_LIST_BEFORE = re.compile(
    r"\b(?:urg\w+|call\w* on|press\w*|ask\w*|encourag\w+|invit\w+|appeal\w* to|told|tell\w*)"
    r"\s+(?:the\s+|both\s+)?(?:[A-Z][\w’'.-]*\s*)+(?:,|and|or)\s+(?:the\s+)?$"
)
# "BUDAPEST, Jan 26 (Reuters) -": the dateline names the place of writing, not a speaker.
DATELINE_AFTER = re.compile(
    r"(?:,\s*[A-Z][\w.]*)*,?\s*(?:[A-Z][a-z]{2}\w*\.?\s+\d{1,2}\s*)?(?:\([^()]{1,40}\)\s*)?[-—–]"
)
ELLIPSIS_START = re.compile(
    r"\s*,?\s*(?:and|but|yet)?\s*(?:has|have|had|is|are|was|were|will|would|could|also|instead"
    r"|then|later|continues|continued|remains|remained|says|said|added)\b"
    r"|\s*,?\s*(?:and|but|yet)\s+\w+ed\b",
    re.IGNORECASE,
)
CONCESSIVE_BEFORE = re.compile(
    r"\b(?:despite|in spite of|in defiance of|regardless of|defy\w*|defied|flout\w*|circumvent\w*"
    r"|evad\w+|evasion of|bypass\w*|skirt\w*|get(?:ting)? around|dodg\w+)\s+(?:\S+\s+){0,3}$",
    re.IGNORECASE,
)
RELATIVE_WHO = re.compile(r"\b[a-z]\w*+\s+who\b[^,;]*")
PAST_RELATIVE = re.compile(r",\s+who(?:se)?\b[^,;]*")
PAST_MARKER = re.compile(
    r"\b(?:last (?:year|month|week|spring|summer|autumn|fall|winter)|previously|earlier|once"
    r"|for (?:months|years|weeks)|in the past|formerly|until recently|had (?:long )?\w+ed)\b",
    re.IGNORECASE,
)
LED_BY = re.compile(rf"\b(?:led|headed|spearheaded)\s+by\s+{TITLE_CHAIN}$")
POSSESSIVE_STANCE = re.compile(
    r"['’]s\s+(?:\w+\s+){0,2}?(?:plans?|proposals?|push|calls?|bid|offer|pledges?|decision"
    r"|package|initiative|idea|demands?|support|backing|opposition|refusal|reluctance|commitment"
    r"|insistence|resistance|objections?|readiness|willingness|openness|efforts?)\b"
)
MEMBERS_AFTER = re.compile(
    r"\s+(?:member states|members|member countries|countries|nations|capitals|states)\b"
)
ROLE_NOUN_SUBJECT = re.compile(rf"\s*{SENTENCE_ADVERBIAL}[\"“‘']?([Tt]he {ROLE_NOUN})\b")
# "British or French soldier": each demonym of the list qualifies the cue.
NAME_LIST = r"(?:\s*(?:,|and|or)\s+[A-Z][\w’'-]+)+"
OWNER_LIST_GAP = re.compile(rf"{NAME_LIST}\s+")
# "speaking alongside Croatian Prime Minister X", "a former NATO chief": no stance of their own.
BYSTANDER_BEFORE = re.compile(
    r"\b(?:(?:speaking|standing|appearing|sitting|meeting)\s+(?:alongside|next to|beside|with)"
    r"|such as)\s+(?:[\w’'.-]+\s+){0,5}$"
    r"|\bformer\s+$",
    re.IGNORECASE,
)
# "Norwegian and Ukrainian companies": the first demonym qualifies the noun too.
DEMONYM_LIST = re.compile(NAME_LIST)
BYSTANDER_WORDS = ("alongside", "next to", "beside", "with", "such as", "former")
MIN_QUOTE_WORDS = 4
OWNER_GAP = re.compile(
    r"['’]s\s+(?:(?:new|latest|fresh|further|tougher|own|planned|proposed|first|next|\d+\w*)\s+)"
    r"{1,2}"
)
EPISTEMIC_BEFORE = re.compile(
    r"\b(?:no|little|any) (?:proof|evidence|sign|signs|indication|guarantee)\b"
    r"|\b(?:doubt\w*|unclear|uncertain|whether|if|fear\w*|hope\w*|expect\w*|believ\w+|think\w*|suspect\w*|claim\w*"
    r"|alleg\w+|accus\w+|unless|until|once)\b",
    re.IGNORECASE,
)
TITLED_NAME = re.compile(rf"\s+{ACTOR_ROLE_TITLE}\s+[A-Z][\w’'-]+\s+[A-Z][\w’'-]+")
PREFIX_LENGTH = 3
# A currency sign right after a word character ("US$"): a cue may start there too.
CURRENCY_SIGNS = "£$€"
CURRENCY_AFTER_WORD = re.compile(r"[£$€](?<=\w[£$€])")
MAX_PREFIXES = 400
TITLE_WORDS = re.compile(r"\b[A-Z][\w.-]*(?:['’]s\b)?")
ROLE_DEPENDENT_CONFIDENCE = 0.9


@dataclass
class Topic:
    """A tracked topic and the vocabulary that signals it."""

    id: str
    label: str
    description: str
    cues: list[str]
    negative_cues: list[str] = field(default_factory=list)
    support_terms: list[str] = field(default_factory=list)
    oppose_terms: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    target_scope: str = "sentence"
    targets_hold_stances: bool = False
    cue_owner_exclusions: list[str] = field(default_factory=list)
    cue_re: re.Pattern[str] = field(init=False, repr=False, compare=False)
    negative_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    terms_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Compile the cue and term patterns."""
        self.cue_re = re.compile("|".join(f"(?:{p})" for p in self.cues), re.IGNORECASE)
        self.negative_re = (
            re.compile("|".join(f"(?:{p})" for p in self.negative_cues), re.IGNORECASE)
            if self.negative_cues
            else None
        )
        parts = []
        if self.support_terms:
            parts.append("(?P<support>" + "|".join(self.support_terms) + ")")
        if self.oppose_terms:
            parts.append("(?P<oppose>" + "|".join(self.oppose_terms) + ")")
        self.terms_re = (
            re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE) if parts else None
        )


@dataclass
class Cue:
    """A topic cue found in a clause."""

    start: int
    end: int
    sign: int


@dataclass
class Holder:
    """A possible stance holder in a clause."""

    mention: Mention
    proposer: bool = False
    agent: bool = False
    pronoun: bool = False
    addressee: bool = False


@runtime_checkable
class StanceTagger(Protocol):
    """Anything that turns an article's text and mentions into stances."""

    name: str

    def tag(
        self,
        text: str,
        mentions: list[Mention],
        registry: Registry,
        topics: list[Topic],
        published_at: datetime | None = None,
    ) -> list[Stance]:
        """Stances taken in the text by the mentioned actors on the topics."""
        ...


def load_topics(path: str | Path | None = None) -> list[Topic]:
    """Load and validate the topics file (default: the shipped one)."""
    source = Path(path) if path else DATA_PATH
    document = json.loads(source.read_text(encoding="utf-8"))
    if TOPICS_SCHEMA.exists():
        schema = json.loads(TOPICS_SCHEMA.read_text(encoding="utf-8"))
        error = jsonschema.exceptions.best_match(
            jsonschema.Draft202012Validator(schema).iter_errors(document)
        )
        if error is not None:
            where = "/".join(str(part) for part in error.absolute_path)
            raise ValueError(f"{source}: {where or '(document)'}: {error.message}")
    else:
        logger.warning("topics schema not found at %s: topics not validated", TOPICS_SCHEMA)
    topics = []
    for entry in document["topics"]:
        try:
            topics.append(Topic(**entry))
        except re.error as exc:
            raise ValueError(f"{source}: topic {entry['id']!r}: bad pattern: {exc}") from exc
    return topics


class RuleStanceTagger:
    """The default, offline, rule-based stance tagger."""

    name = "rules"

    def __init__(self) -> None:
        """Start without a compiled cue scanner (built for the first topic list seen)."""
        self._scanners: dict[tuple[tuple[str, ...], ...], CueScanner] = {}

    def tag(
        self,
        text: str,
        mentions: list[Mention],
        registry: Registry,
        topics: list[Topic],
        published_at: datetime | None = None,
    ) -> list[Stance]:
        """Stances taken in the text by the mentioned actors on the topics."""
        return self.tag_sentences(
            text, split_sentences(text), mentions, registry, topics, published_at
        )

    def tag_sentences(
        self,
        text: str,
        spans: list[tuple[int, int]],
        mentions: list[Mention],
        registry: Registry,
        topics: list[Topic],
        published_at: datetime | None = None,
    ) -> list[Stance]:
        """Like tag, with the sentence spans already computed."""
        day = published_at.date() if isinstance(published_at, datetime) else published_at
        context = _Context(text, registry, day, mentions)
        key = tuple((topic.id, *topic.cues, "", *topic.negative_cues) for topic in topics)
        if key not in self._scanners:
            self._scanners = {key: CueScanner(topics)}
        context.set_cues(self._scanners[key].scan(text))
        starts = sorted(cue[0] for found in context.raw_cues.values() for cue in found)
        people = [m for m in mentions if registry.type_of(m.actor_id) == "person"]
        stances: list[Stance] = []
        ordered = sorted(mentions, key=lambda m: m.char_start)
        ordered_starts = [m.char_start for m in ordered]
        cursor = 0
        for start, end in spans:
            first = bisect.bisect_left(starts, start)
            if first >= len(starts) or starts[first] >= end:
                continue
            cursor = bisect.bisect_left(ordered_starts, start, cursor)
            inside = ordered[cursor : bisect.bisect_left(ordered_starts, end, cursor)]
            pronouns = _pronoun_spans(text, start, end)
            if pronouns:
                before = _antecedent(
                    text, ordered[max(0, cursor - 6) : cursor], people, start, registry
                )
                for span in pronouns:
                    # "Zelensky said ..., but he repeated": a person named earlier in the
                    # sentence comes before the last sentence's subject
                    earlier = [
                        m
                        for m in inside
                        if m.char_end <= span[0] and registry.type_of(m.actor_id) == "person"
                    ]
                    inside.extend(
                        _pronoun_holders(text, [span], earlier[-1] if earlier else before)
                    )
            named = sorted(
                (m for m in inside if m.sentence_index != -1), key=lambda m: m.char_start
            )
            if pronouns:
                # "the Russian foreign minister": the demonym belongs to the pronoun (it still
                # names the sentence's target)
                inside = [
                    m
                    for m in inside
                    if m.sentence_index == -1
                    or not any(a <= m.char_start and m.char_end <= b for a, b in pronouns)
                ]
            if not inside:
                continue  # nobody in the sentence to hold a stance
            inside.sort(key=lambda m: m.char_start)
            context.sentence_mentions = named
            previous: tuple[int, list[Mention]] | None = None
            subject: Mention | None = None
            for clause_start, clause_end in _clauses(text, start, end):
                in_clause = [m for m in inside if clause_start <= m.char_start < clause_end]
                if previous and ELLIPSIS_START.match(text, clause_start, clause_end):
                    subject = _subject(text, previous[0], previous[1], registry) or subject
                    if subject:
                        in_clause.insert(
                            0,
                            Mention(
                                subject.actor_id,
                                "",
                                -1,
                                clause_start,
                                clause_start,
                                subject.via_actor_id,
                            ),
                        )
                previous = (clause_start, in_clause)
                if not in_clause:
                    continue  # no holder: no stance, whatever the cues
                for topic in topics:
                    if not context.cues_in(topic, clause_start, clause_end):
                        continue
                    stances.extend(
                        _clause_stances(
                            context, topic, clause_start, clause_end, in_clause, (start, end)
                        )
                    )
        return _resolve_conflicts(_roll_up(stances, context))


@dataclass
class _Context:
    """What the rules need to know about the article."""

    text: str
    registry: Registry
    day: date | None
    mentions: list[Mention]
    article_actors: set[str] = field(default_factory=set)
    raw_cues: dict[str, list[tuple[int, int, int]]] = field(default_factory=dict)
    cue_starts: dict[str, list[int]] = field(default_factory=dict)
    target_cache: dict[tuple[str, str], bool] = field(default_factory=dict)
    article_targets: dict[str, bool] = field(default_factory=dict)
    sentence_mentions: list[Mention] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Collect the actors named anywhere in the article (with their roll-ups)."""
        for mention in self.mentions:
            self.article_actors.add(mention.actor_id)
            if mention.via_actor_id:
                self.article_actors.add(mention.via_actor_id)

    def set_cues(self, raw_cues: dict[str, list[tuple[int, int, int]]]) -> None:
        """Keep the article's cues per topic (sorted by start, as the scanner gives them)."""
        self.raw_cues = raw_cues
        self.cue_starts = {topic_id: [c[0] for c in cues] for topic_id, cues in raw_cues.items()}

    def cues_in(self, topic: Topic, start: int, end: int) -> list[tuple[int, int, int]]:
        """The topic's cues starting between two offsets."""
        starts = self.cue_starts[topic.id]
        lo = bisect.bisect_left(starts, start)
        return self.raw_cues[topic.id][lo : bisect.bisect_left(starts, end, lo)]

    def targets_named(self, topic: Topic) -> bool:
        """Whether a target of the topic is named anywhere in the article (cached per topic)."""
        if topic.id not in self.article_targets:
            self.article_targets[topic.id] = any(
                self.is_target(actor_id, topic) for actor_id in self.article_actors
            )
        return self.article_targets[topic.id]

    def is_target(self, actor_id: str, topic: Topic) -> bool:
        """Whether an actor is (or belongs to) one of the topic's targets."""
        key = (actor_id, topic.id)
        if key not in self.target_cache:
            self.target_cache[key] = (
                actor_id in topic.targets
                or affiliation_of(actor_id, self.registry, self.day) in topic.targets
            )
        return self.target_cache[key]


def _antecedent(
    text: str, recent: list[Mention], people: list[Mention], start: int, registry: Registry
) -> Mention | None:
    """Who "he"/"the minister" refers to: the last person named, or the country of an official
    introduced just before ("Latvian Foreign Minister Baiba Braze") who is not in the registry."""
    person = _sentence_subject(text, [m for m in people if m.char_start < start])
    for mention in reversed(recent):
        if person and mention.char_start <= person[0].char_start:
            break
        if registry.type_of(mention.actor_id) == "country" and TITLED_NAME.match(
            text, mention.char_end
        ):
            return mention
    return person[0] if person else None


def _sentence_subject(text: str, people: list[Mention]) -> list[Mention]:
    """The first person named outside a prepositional phrase in the last sentence naming people."""
    if not people:
        return []
    last = [m for m in people if m.sentence_index == people[-1].sentence_index]
    for mention in last:
        if not _after_preposition(text[max(0, mention.char_start - 40) : mention.char_start]):
            return [mention]
    return last[-1:]


def _pronoun_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the "He/She/The minister" subject and "he said" speakers of a sentence."""
    found = []
    subject = PRONOUN_SUBJECT.match(text, start, end) or ROLE_NOUN_SUBJECT.match(text, start, end)
    if subject:
        found.append((subject.start(1), subject.end(1)))
    for match in PRONOUN_SPEAKER.finditer(text, start, end):
        found.append((match.start(1), match.end(1)))
    return found


def _pronoun_holders(
    text: str, found: list[tuple[int, int]], last: Mention | None
) -> list[Mention]:
    """Pseudo-mentions of the antecedent at the pronoun spans."""
    if last is None:
        return []
    return [
        Mention(
            actor_id=last.actor_id,
            surface=text[s:e],
            sentence_index=-1,
            char_start=s,
            char_end=e,
            via_actor_id=last.via_actor_id,
        )
        for s, e in found
    ]


def _subject(text: str, start: int, mentions: list[Mention], registry: Registry) -> Mention | None:
    """The first mention of a clause in subject position (a person rather than their country)."""
    for index, mention in enumerate(mentions):
        if _after_preposition(text[start : mention.char_start]):
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if (
            following
            and registry.type_of(following.actor_id) == "person"
            and MODIFIER_GAP.match(text[mention.char_end : following.char_start] + " ")
        ):
            return following
        return mention
    return None


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans of a sentence."""
    cuts = [start]
    lead = LEADING_SUBORDINATE.match(text, start, end)
    if lead:
        cuts.append(lead.end())
    cuts.extend(match.start() for match in CLAUSE_BREAK.finditer(text, start, end))
    cuts = sorted(set(cuts)) + [end]
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if b > a]


class CueScanner:
    """All topics' cue patterns, indexed by the (up to three) letters a match can start with.

    Python's regex engine cannot skip ahead for patterns starting with ``\\b`` or an alternation,
    so scanning a text once per pattern is slow. Instead each pattern is tried only at the word
    starts whose first letters it can begin with (found from the parsed pattern).
    """

    def __init__(self, topics: list[Topic]) -> None:
        """Compile each cue and index it by the prefixes a match can start with."""
        self.topics = topics
        grouped: dict[str, dict[tuple[str, int], list[str]]] = defaultdict(dict)
        self.anywhere: list[tuple[str, int, re.Pattern[str]]] = []
        for topic in topics:
            for sign, patterns in ((-1, topic.negative_cues), (1, topic.cues)):
                for pattern in patterns:
                    prefixes = _prefixes(pattern)
                    if not prefixes or "" in prefixes:
                        self.anywhere.append((topic.id, sign, re.compile(pattern, re.I)))
                        continue
                    for prefix in prefixes:
                        grouped[prefix].setdefault((topic.id, sign), []).append(pattern)
        self.by_prefix: dict[str, list[tuple[str, int, re.Pattern[str]]]] = {
            prefix: [
                (topic_id, sign, re.compile("|".join(f"(?:{p})" for p in patterns), re.I))
                for (topic_id, sign), patterns in groups.items()
            ]
            for prefix, groups in grouped.items()
        }
        self.short_heads = {prefix[0] for prefix in self.by_prefix if len(prefix) < PREFIX_LENGTH}
        prefix_trie = trie_regex(sorted(self.by_prefix))
        self.prefix_re = re.compile(prefix_trie)
        # A prefix after a non-word character: the regex starts with a character set, so the
        # engine skips over words in C instead of trying a look-behind at every position.
        self.after_break = re.compile(rf"[^\w](?={prefix_trie})")
        self._by_head: dict[str, list[tuple[str, int, re.Pattern[str]]]] = {}

    def scan(self, text: str) -> dict[str, list[tuple[int, int, int]]]:
        """Cue spans per topic id, as (start, end, sign); negative cues win overlaps."""
        found: dict[str, list[tuple[int, int, int]]] = {topic.id: [] for topic in self.topics}
        lowered = text.lower()
        if len(lowered) != len(text):
            lowered = "".join(char.lower()[:1] for char in text)
        by_head = self._by_head
        for start in self._heads(lowered):
            head = lowered[start : start + PREFIX_LENGTH]
            candidates = by_head.get(head)
            if candidates is None:
                candidates = by_head[head] = self._candidates(head)
            for topic_id, sign, pattern in candidates:
                match = pattern.match(text, start)
                if match and match.end() > start:
                    found[topic_id].append((start, match.end(), sign))
        for topic_id, sign, pattern in self.anywhere:
            found[topic_id].extend((m.start(), m.end(), sign) for m in pattern.finditer(text))
        kept = {topic_id: _non_overlapping(cues) for topic_id, cues in found.items()}
        return _inside_longer_cues(kept)

    def _heads(self, lowered: str) -> list[int]:
        """Offsets of the word starts (and currency signs) where an indexed prefix begins."""
        heads = [match.end() for match in self.after_break.finditer(lowered)]
        if any(sign in lowered for sign in CURRENCY_SIGNS):
            heads.extend(
                match.start()
                for match in CURRENCY_AFTER_WORD.finditer(lowered)
                if self.prefix_re.match(lowered, match.start())
            )
        if self.prefix_re.match(lowered):
            heads.append(0)
        return sorted(heads)

    def _candidates(self, head: str) -> list[tuple[str, int, re.Pattern[str]]]:
        """The patterns to try at a word start beginning with ``head``."""
        candidates = list(self.by_prefix.get(head, ()))
        if head[0] in self.short_heads:
            candidates.extend(self.by_prefix.get(head[:1], ()))
            if len(head) > 2:
                candidates.extend(self.by_prefix.get(head[:2], ()))
        return candidates


def _inside_longer_cues(
    cues: dict[str, list[tuple[int, int, int]]],
) -> dict[str, list[tuple[int, int, int]]]:
    """Drop a cue lying inside a longer cue of another topic ("soldiers" in "training Ukrainian
    soldiers" is military aid, not troops sent)."""
    spans = sorted(
        ((c[0], -c[1], topic_id) for topic_id, found in cues.items() for c in found),
    )
    inside = set()
    reach_start, reach, reach_topic = -1, -1, ""
    for start, negative_end, topic_id in spans:
        end = -negative_end
        if end <= reach and topic_id != reach_topic and (start, end) != (reach_start, reach):
            inside.add((topic_id, start))
        elif end > reach:
            reach_start, reach, reach_topic = start, end, topic_id
    if not inside:
        return cues
    return {
        topic_id: [c for c in found if (topic_id, c[0]) not in inside]
        for topic_id, found in cues.items()
    }


def _non_overlapping(cues: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Cues sorted, dropping those that start inside a kept one (negative, then longer, first)."""
    kept: list[tuple[int, int, int]] = []
    for cue in sorted(cues, key=lambda c: (c[0], c[2], -c[1])):
        if kept and cue[0] < kept[-1][1]:
            if cue[2] < 0 < kept[-1][2]:
                kept[-1] = cue
            continue
        kept.append(cue)
    return kept


def _prefixes(pattern: str) -> set[str] | None:
    """Lower-case prefixes (up to PREFIX_LENGTH letters) that every match starts with one of."""
    try:
        parsed = re._parser.parse(pattern, re.IGNORECASE)  # type: ignore[attr-defined]
        states = _sequence_prefixes(list(parsed), {("", True)})
    except Exception:  # noqa: BLE001 - an unexpected parse tree just disables the shortcut
        return None
    if states is None:
        return None
    return {prefix.lower() for prefix, _ in states}


def _sequence_prefixes(
    items: list[Any], states: set[tuple[str, bool]]
) -> set[tuple[str, bool]] | None:
    """Extend (prefix, still open) states over a parsed regex sequence."""
    for op, av in items:
        name = str(op)
        if not any(open_ and len(prefix) < PREFIX_LENGTH for prefix, open_ in states):
            return states
        if name in ("AT", "ASSERT", "ASSERT_NOT"):
            continue
        if name == "LITERAL":
            states = _extend(states, {chr(av)})
        elif name == "IN":
            states = _extend(states, _class_chars(av))
        elif name == "SUBPATTERN":
            result = _sequence_prefixes(list(av[-1]), states)
            if result is None:
                return None
            states = result
        elif name == "BRANCH":
            merged: set[tuple[str, bool]] = set()
            for branch in av[1]:
                result = _sequence_prefixes(list(branch), states)
                if result is None:
                    return None
                merged |= result
            states = merged
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            once = _sequence_prefixes(list(av[2]), states)
            if once is None:
                return None
            once = {(prefix, False) for prefix, _ in once}
            states = once | states if av[0] == 0 else once
        else:
            states = {(prefix, False) for prefix, _ in states}
        if len(states) > MAX_PREFIXES:
            return None
    return states


def _extend(states: set[tuple[str, bool]], chars: set[str] | None) -> set[tuple[str, bool]]:
    """States extended by one character from a set (closed when the set is unknown)."""
    result = set()
    for prefix, open_ in states:
        if not open_ or len(prefix) >= PREFIX_LENGTH or chars is None:
            result.add((prefix, False))
        else:
            result.update((prefix + char.lower(), True) for char in chars)
    return result


def _class_chars(items: list[Any]) -> set[str] | None:
    """Characters of a parsed character class (None when it holds categories or negation)."""
    chars: set[str] = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(av))
        elif name == "RANGE" and av[1] - av[0] < 64:
            chars.update(chr(code) for code in range(av[0], av[1] + 1))
        else:
            return None
    return chars


def _find_cues(
    context: _Context, topic: Topic, start: int, end: int, mentions: list[Mention]
) -> list[Cue]:
    """Cues of a topic in a clause (negative or conceded ones with sign -1), owners excluded.

    A cue inside a relative clause about a non-actor ("leaders who arm Ukraine") is left out; one
    conceded ("despite sanctions", "circumventing sanctions") names the opposite of the topic.
    """
    text = context.text
    cues: list[Cue] = []
    relatives: list[tuple[int, int]] | None = None
    for cue_start, cue_end, sign in context.cues_in(topic, start, end):
        if sign > 0 and (
            _owned_by_excluded(text, cue_start, mentions, topic)
            or any(m.char_start <= cue_start < m.char_end for m in mentions)
            or EVENT_BEFORE.search(text, max(start, cue_start - 30), cue_start)
        ):
            continue
        if relatives is None:
            relatives = _relative_clauses(text, start, end)
        if any(a < cue_start < b for a, b in relatives):
            continue
        if sign > 0 and CONCESSIVE_BEFORE.search(text, max(start, cue_start - 40), cue_start):
            sign = -1
        cues.append(Cue(cue_start, cue_end, sign))
    return cues


def _relative_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the relative clauses about others ("leaders who arm Ukraine") or about a holder's
    past (", who last autumn threatened tariffs,") between two offsets."""
    if text.find("who", start, end) < 0:
        return []
    spans = [match.span() for match in RELATIVE_WHO.finditer(text, start, end)]
    spans.extend(
        match.span()
        for match in PAST_RELATIVE.finditer(text, start, end)
        if PAST_MARKER.search(match.group())
    )
    return spans


def _owned_by_excluded(text: str, cue_start: int, mentions: list[Mention], topic: Topic) -> bool:
    """Whether a cue is owned by an excluded actor ("Russian troops")."""
    for mention in mentions:
        if (
            mention.actor_id in topic.cue_owner_exclusions
            and 0 <= cue_start - mention.char_end <= 3
            and not text[mention.char_end : cue_start].strip(" ’'s")
        ):
            return True
    return False


def _target_present(context: _Context, topic: Topic, sentence_mentions: list[Mention]) -> bool:
    """Whether the topic's target is named within the topic's scope."""
    if not topic.targets or topic.target_scope == "none":
        return True
    if any(context.is_target(m.actor_id, topic) for m in sentence_mentions):
        return True
    if topic.target_scope != "article" or not context.targets_named(topic):
        return False
    # Named elsewhere in the article: unless the sentence points a topic word at another
    # country ("sanctions on Iran", "troops to Lithuania").
    return not any(
        OTHER_TARGET_BEFORE.search(context.text, max(0, m.char_start - 40), m.char_start)
        for m in sentence_mentions
        if context.registry.type_of(m.actor_id) == "country"
    )


def _clause_stances(
    context: _Context,
    topic: Topic,
    start: int,
    end: int,
    mentions: list[Mention],
    sentence: tuple[int, int],
) -> list[Stance]:
    """Stances on one topic in one clause."""
    scope_mentions = mentions if topic.target_scope == "clause" else context.sentence_mentions
    if not _target_present(context, topic, scope_mentions):
        return []
    cues = _find_cues(context, topic, start, end, mentions)
    if not cues:
        return []
    masked = _mask_quotes(context.text, start, end, topic)
    holders = _headline_speaker_filter(
        context, start, _holders(context, topic, start, mentions, cues)
    )
    if not holders:
        return []
    results: list[tuple[int, float] | None] = [None] * len(holders)
    for i in range(len(holders) - 1, -1, -1):
        results[i] = _holder_polarity(context, topic, masked, start, end, holders, i, cues, results)
    _speakers_follow_their_side(context, masked, end, holders, cues, results)
    stances = []
    evidence = context.text[sentence[0] : sentence[1]]
    for holder, result in zip(holders, results, strict=True):
        if result is None or holder.addressee:
            continue
        polarity, confidence = result
        if holder.pronoun:
            confidence *= 0.9
        stances.append(
            Stance(
                actor_id=holder.mention.actor_id,
                topic_id=topic.id,
                polarity=POLARITIES[polarity],
                confidence=round(confidence, 3),
                evidence=evidence,
                char_start=sentence[0],
                char_end=sentence[1],
            )
        )
    return stances


def _headline_speaker_filter(context: _Context, start: int, holders: list[Holder]) -> list[Holder]:
    """Holders of a clause, without those named after a headline's speaker ("Michal: EU must
    ...") unless the speaker speaks for them ("Zelensky: Ukraine needs ...")."""
    prefix = HEADLINE_SPEAKER.match(context.text, start)
    if not prefix:
        return holders
    speakers = [m for m in context.mentions if start <= m.char_start < prefix.end()]
    if any(context.registry.type_of(m.actor_id) != "person" for m in speakers):
        return holders  # "Ukraine: ..." names a place, not a speaker
    name = prefix.group().rstrip(": \t\n")
    if not speakers and (" " in name or HEADLINE_LABELS.match(name)):
        return holders  # "Analysis: ...", "Potential Troop Deployment: ..." are labels
    return [
        holder
        for holder in holders
        if holder.mention.char_start < prefix.end()
        or any(_speaks_for(context, m.actor_id, holder.mention.actor_id) for m in speakers)
    ]


def _speakers_follow_their_side(
    context: _Context,
    masked: str,
    end: int,
    holders: list[Holder],
    cues: list[Cue],
    results: list[tuple[int, float] | None],
) -> None:
    """A speaker named after the cues ("..., Foreign Minister X said") takes the stance found for
    their own government or person earlier in the clause ("Hungary will not back ...")."""
    for i, holder in enumerate(holders):
        mention = holder.mention
        if i == 0 or any(cue.start >= mention.char_end for cue in cues):
            continue
        if not REPORTING_AFTER.match(masked[mention.char_end : end]):
            continue
        for j in range(i - 1, -1, -1):
            side = holders[j]
            found = results[j]
            if side.proposer or side.agent or side.addressee or found is None:
                continue
            if _speaks_for(context, mention.actor_id, side.mention.actor_id):
                results[i] = (found[0], round(found[1] - 0.05, 3))
                break


def _mask_quotes(text: str, start: int, end: int, topic: Topic) -> str:
    """The text with quoted passages (of a few words or more) that carry no cue blanked out."""
    chunk = text[:end]
    for match in QUOTED.finditer(text, start, end):
        quote = match.group(1)
        if PREDICATE_BEFORE.search(
            text, max(start, match.start() - 40), match.start()
        ) or PREDICATE_QUOTE.match(quote):
            continue  # the quote is what the holder calls the plan ("was \"not on the table\"")
        if len(quote.split()) >= MIN_QUOTE_WORDS and not topic.cue_re.search(quote):
            chunk = (
                chunk[: match.start()] + " " * (match.end() - match.start()) + chunk[match.end() :]
            )
    return chunk


def _holders(
    context: _Context, topic: Topic, start: int, mentions: list[Mention], cues: list[Cue]
) -> list[Holder]:
    """The mentions of a clause that may hold a stance, in order."""
    text = context.text
    holders: list[Holder] = []
    previous_object: Mention | None = None
    for index, mention in enumerate(mentions):
        before = text[start : mention.char_start]
        pronoun = mention.sentence_index == -1
        window = before[-AGENT_WINDOW:]
        has_by = "by " in window or "By " in window
        led = has_by and bool(LED_BY.search(window))
        proposer = not led and (
            (has_by or "from " in window)
            and bool(PROPOSAL_BEFORE.search(window))
            or bool(POSSESSIVE_STANCE.match(text, mention.char_end))
        )
        agent = (
            not (proposer or led)
            and has_by
            and bool(AGENT_BEFORE.search(window))
            and not _attributive(context, mention)
        )
        if (
            holders
            and holders[-1].agent
            and COORDINATION.match(text[holders[-1].mention.char_end : mention.char_start])
        ):
            agent = True
        gap_from_object = (
            previous_object is not None
            and COORDINATION.match(text[previous_object.char_end : mention.char_start])
            # "... to Ukraine, Sergei Lavrov said": a speaker, not one more object
            and not REPORTING_AFTER.match(text[mention.char_end : mention.char_end + 60])
        )
        is_object = not (proposer or agent or pronoun or led) and (
            _after_preposition(before, text[mention.char_end : mention.char_end + 60])
            or bool(gap_from_object)
            or _owns_cue(text, mention, cues)
            or _attributive(context, mention)
            or _members_of(context, mention)
            or _bystander(window)
        )
        if is_object:
            previous_object = mention
            continue
        previous_object = None
        if context.is_target(mention.actor_id, topic) and not (
            _subject_position(before)
            and (
                topic.targets_hold_stances
                or (
                    _clear_subject(text, mention, before)
                    and all(
                        _speaks_for(context, h.mention.actor_id, mention.actor_id) for h in holders
                    )
                )
            )
        ):
            continue
        if HYPOTHETICAL.search(before[-25:]) and "," not in before[-25:]:
            continue
        following = mentions[index + 1] if index + 1 < len(mentions) else None
        if following and _is_modifier(context, mention, following):
            continue
        if holders and _is_apposition(context, holders[-1].mention, mention):
            continue
        addressee = bool(holders) and (
            bool(ADDRESSEE_BEFORE.search(before[-30:]))
            or bool(ADDRESSEE_LIST_BEFORE.search(before[-60:]))
        )
        if addressee or _dateline(text, start, mention):
            continue
        if (
            holders
            and REPORTING_ONLY.match(text[holders[-1].mention.char_end : mention.char_start])
            and MODAL_AFTER.match(text[mention.char_end : mention.char_end + 20])
            and not _speaks_for(context, holders[-1].mention.actor_id, mention.actor_id)
        ):
            addressee = True
        holders.append(
            Holder(mention, proposer=proposer, agent=agent, pronoun=pronoun, addressee=addressee)
        )
    return holders


def _bystander(window: str) -> bool:
    """Whether the text before a mention makes it a bystander ("speaking alongside", "former")."""
    lowered = window.lower()
    return any(word in lowered for word in BYSTANDER_WORDS) and bool(
        BYSTANDER_BEFORE.search(window)
    )


def _dateline(text: str, start: int, mention: Mention) -> bool:
    """Whether a mention is the capitalised place name of a dateline ("KYIV, March 3 (AP) -")."""
    return (
        mention.surface.isupper()
        and len(mention.surface) > 3
        and not text[start : mention.char_start].strip(' \n"“')
        and bool(DATELINE_AFTER.match(text, mention.char_end))
    )


def _after_preposition(before: str, after: str = "") -> bool:
    """Whether the text before a mention ends with an object preposition (and determiners)."""
    words = before.rstrip().rsplit(None, 4)
    while words and words[-1].lower() in DETERMINERS:
        words.pop()
    if not words or words[-1].lower() not in OBJECT_PREPOSITIONS:
        return False
    if words[-1].lower() == "with" and ABSOLUTE_WITH.match(after):
        return False
    if words[-1].lower() == "to" and len(words) > 1 and words[-2].lower() == "according":
        return False
    # "the foreign ministers of France": the country speaks through its ministers.
    return not (
        words[-1].lower() == "of" and len(words) > 1 and SPEAKER_NOUN.fullmatch(words[-2].lower())
    )


def _subject_position(before: str) -> bool:
    """Whether a mention can be a subject: at the clause start, after a comma, "and", a title."""
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ',;:"“(':
        return True
    last = stripped.rsplit(None, 1)[-1]
    return last[:1].isupper() or last.lower() in SUBJECT_LEADERS or last.lower() in ROLE_WORDS


def _clear_subject(text: str, mention: Mention, before: str) -> bool:
    """Whether a topic's target is clearly the subject ("The Kremlin said", not "bring Moscow")."""
    if re.match(r"['’]s\b", text[mention.char_end : mention.char_end + 2]) and not (
        POSSESSIVE_STANCE.match(text, mention.char_end)
        or SPEAKER_NOUN.fullmatch(_next_word(text, mention.char_end + 2))
    ):
        return False
    if EPISTEMIC_BEFORE.search(before[-60:]):
        return False
    return _subject_position(re.sub(r"(?:\s*\bthe)+\s*$", "", before, flags=re.IGNORECASE))


def _next_word(text: str, offset: int) -> str:
    """The lower-cased word following an offset."""
    following = NEXT_WORD.match(text, offset)
    return following.group(1).lower() if following else ""


def _members_of(context: _Context, mention: Mention) -> bool:
    """Whether an organisation only qualifies its members ("EU member states", "NATO members")."""
    actor = context.registry.actors.get(mention.actor_id, {})
    return actor.get("type") == "organisation" and bool(
        MEMBERS_AFTER.match(context.text, mention.char_end)
    )


def _attributive(context: _Context, mention: Mention) -> bool:
    """Whether a demonym only qualifies a noun ("Russian assets"), not "French officials"."""
    kinds = {
        kind
        for actor_id, kind in context.registry.surfaces.get(mention.surface, [])
        if actor_id == mention.actor_id
    }
    if "demonym" not in kinds:
        return False
    offset = mention.char_end
    listed = DEMONYM_LIST.match(context.text, offset)
    if listed:
        offset = listed.end()
    following = NEXT_WORD.match(context.text, offset)
    if not following or not following.group(1)[:1].islower() or following.group(1) in ("and", "or"):
        return False
    return not SPEAKER_NOUN.fullmatch(following.group(1).lower())


def _is_apposition(context: _Context, person: Mention, mention: Mention) -> bool:
    """Whether a mention sits in an apposition to a person ("Kaja Kallas, the EU's ... chief,")."""
    if context.registry.type_of(person.actor_id) != "person":
        return False
    gap = context.text[person.char_end : mention.char_start]
    after = context.text[mention.char_end : mention.char_end + 3]
    return bool(re.fullmatch(r",\s+(?:the\s+)?", gap)) and after[:2] in ("'s", "’s")


def _owns_cue(text: str, mention: Mention, cues: list[Cue]) -> bool:
    """Whether a mention directly qualifies a cue ("British troops", "Ukraine's air defence")."""
    for cue in cues:
        gap = text[mention.char_end : cue.start]
        if cue.start >= mention.char_end and (
            (len(gap) <= 3 and not gap.strip(" ’'s"))
            or OWNER_GAP.fullmatch(gap)
            or OWNER_LIST_GAP.fullmatch(gap)
        ):
            return True
    return False


def _is_modifier(context: _Context, mention: Mention, following: Mention) -> bool:
    """Whether a country/org mention only qualifies the person named next ("UK Prime Minister")."""
    registry = context.registry
    if registry.type_of(mention.actor_id) == "person":
        return False
    if registry.type_of(following.actor_id) != "person":
        return False
    return bool(MODIFIER_GAP.match(context.text[mention.char_end : following.char_start] + " "))


def _holder_polarity(
    context: _Context,
    topic: Topic,
    masked: str,
    start: int,
    end: int,
    holders: list[Holder],
    i: int,
    cues: list[Cue],
    results: list[tuple[int, float] | None],
) -> tuple[int, float] | None:
    """Polarity (+1/-1/0) and confidence of holder i, given the holders after it."""
    holder = holders[i]
    mention = holder.mention
    if holder.agent:
        first = i
        while (
            first > 0
            and holders[first - 1].agent
            and COORDINATION.match(
                context.text[
                    holders[first - 1].mention.char_end : holders[first].mention.char_start
                ]
            )
        ):
            first -= 1
        return _agent_polarity(topic, masked, start, holders, first, cues)
    limit = holders[i + 1].mention.char_start if i + 1 < len(holders) else end
    ahead = [cue for cue in cues if mention.char_end <= cue.start < limit]
    if ahead:
        segment_start = mention.char_end
        for cue in ahead:
            segment = _without_cues(masked, segment_start, cue.start, cues)
            reports = list(PARTICIPLE_REPORT.finditer(segment))
            if reports:  # "was not ready to sign ..., saying he wanted to give the talks": the
                reported = segment[reports[-1].end() :]  # last report frames the cue
                if _polarity(reported, topic)[1]:
                    segment = reported
                else:
                    complement = _complement_polarity(topic, masked, cue, limit, cues)
                    if complement:
                        return complement
            if CONTRAST.search(segment) or HYPOTHETICAL.search(segment):
                return None
            if NO_EVIDENCE.search(segment):
                return None
            sign, found, neutral = _polarity(segment, topic)
            if neutral:
                return 0, 0.6
            if found and GERUND_SUBJECT.search(segment):
                # "said that sending troops would add fuel to the fire": the verdict follows
                predicate = _complement_polarity(topic, masked, cue, limit, cues)
                if predicate:
                    return sign * predicate[0], predicate[1]
            if found:
                return sign * cue.sign, 0.8
        if holder.proposer:
            return ahead[0].sign, 0.65
        lead = _without_cues(masked, mention.char_end, ahead[0].start, cues)
        if REPORTING_ONLY.match(lead) or REPORTED_IN.search(lead):
            complement = _complement_polarity(topic, masked, ahead[0], limit, cues)
            if complement:
                return complement
        if AUXILIARY_ONLY.match(lead) and VERBAL_CUE.match(
            context.text[ahead[0].start : ahead[0].end]
        ):
            return ahead[0].sign, 0.6
        if i + 1 == len(holders):
            return None
    if i + 1 < len(holders):
        segment = masked[mention.char_end : limit]
        following = results[i + 1]
        if CONTRAST.search(segment) or following is None:
            return _after_cue_polarity(context, topic, masked, start, holders, i, cues, limit)
        if COORDINATION.match(TITLE_WORDS.sub("", segment)) or MODIFIER_GAP.match(segment + " "):
            return following[0], following[1] - 0.05
        if REPORTING_ONLY.match(segment):
            own = _speaks_for(context, mention.actor_id, holders[i + 1].mention.actor_id)
            if own or holders[i + 1].addressee:
                return following[0], following[1] - 0.05
        if _has_other_cue(segment):
            return None
        sign, found, neutral = _polarity(segment, topic)
        if found and not neutral and following[0] != 0:
            return sign * following[0], 0.7
        return None
    return _after_cue_polarity(context, topic, masked, start, holders, i, cues, limit)


def _speaks_for(context: _Context, speaker: str, other: str) -> bool:
    """Whether a speaker reports its own (or its affiliation's) position ("Merz said Berlin...")."""
    return (
        other == speaker
        or other == affiliation_of(speaker, context.registry, context.day)
        or speaker == affiliation_of(other, context.registry, context.day)
    )


def _complement_polarity(
    topic: Topic, masked: str, cue: Cue, limit: int, cues: list[Cue]
) -> tuple[int, float] | None:
    """Polarity of a reported clause whose predicate follows the cue ("said X was ruled out")."""
    after = _without_cues(masked, cue.end, limit, cues)
    if CONTRAST.search(after):
        return None
    # 'as "an unfriendly step" that would not change ...': the part before a relative clause
    # decides when it has a polarity word
    relative = RELATIVE_AFTER.search(after)
    head = _polarity(after[: relative.start()], topic) if relative else None
    sign, found, neutral = head if head and head[1] else _polarity(after, topic)
    if neutral:
        return 0, 0.55
    if found:
        return sign * cue.sign, 0.6
    # "said British troops would deploy to Ukraine": the predicate is a cue of the topic itself.
    verb = next((c for c in cues if cue.end <= c.start < limit), None)
    if (
        verb
        and AUXILIARY_ONLY.match(masked[cue.end : verb.start])
        and VERBAL_CUE.match(masked[verb.start : verb.end])
    ):
        return cue.sign * verb.sign, 0.55
    return None


def _after_cue_polarity(
    context: _Context,
    topic: Topic,
    masked: str,
    start: int,
    holders: list[Holder],
    i: int,
    cues: list[Cue],
    limit: int,
) -> tuple[int, float] | None:
    """Polarity of a holder named after the cues: a speaker, or a pronoun object."""
    mention = holders[i].mention
    behind = [cue for cue in cues if cue.end <= mention.char_start]
    if not behind:
        return None
    cue = behind[-1]
    after = masked[mention.char_end : limit]
    before = masked[max(start, mention.char_start - 20) : mention.char_start]
    if REPORTING_AFTER.match(after) or REPORTING_BEFORE.search(before):
        region_start = holders[i - 1].mention.char_end if i > 0 else start
        region = _without_cues(masked, region_start, mention.char_start, cues)
        aside = PARENTHETICAL_REPORT.match(after)
        if aside:  # "any plan ..., he said, was a non-starter": the predicate follows the aside
            region += " " + _without_cues(masked, mention.char_end + aside.end(), limit, cues)
        sign, found, neutral = _polarity(region, topic)
        if neutral:
            return 0, 0.55
        if found:
            return sign * cue.sign, 0.7
        return None
    absolute = re.search(r"\bwith\s+(?:the\s+)?$", before) or (
        i > 0
        and holders[i - 1].mention.char_end >= mention.char_start - 8
        and re.search(
            r"\bwith\s+(?:the\s+)?$",
            masked[
                max(start, holders[i - 1].mention.char_start - 12) : holders[
                    i - 1
                ].mention.char_start
            ],
        )
    )
    if absolute and ABSOLUTE_WITH.match(after) and not _has_other_cue(after):
        sign, found, neutral = _polarity(after, topic)
        if found:
            return (0, 0.5) if neutral else (sign * cue.sign, 0.55)
    anaphor = ANAPHOR.search(after)
    if anaphor and not _has_other_cue(after) and not CONTRAST.search(after):
        sign, found, neutral = _polarity(after[: anaphor.start()], topic)
        if found and not neutral:
            return sign * cue.sign, 0.55
    return None


def _agent_polarity(
    topic: Topic, masked: str, start: int, holders: list[Holder], i: int, cues: list[Cue]
) -> tuple[int, float] | None:
    """Polarity of a passive agent ("has been allocated by the UK")."""
    mention = holders[i].mention
    by = AGENT_BEFORE.search(
        masked, max(start, mention.char_start - AGENT_WINDOW), mention.char_start
    )
    by_start = by.start() if by else mention.char_start
    behind = [cue for cue in cues if cue.end <= by_start]
    if not behind:
        ahead = [cue for cue in cues if cue.start >= mention.char_end]
        region = masked[start:by_start]
        sign, found, neutral = _polarity(region, topic)
        if ahead and found and not neutral and not CONTRAST.search(region):
            return sign * ahead[0].sign, 0.6
        return None
    region_start = max(
        [start, behind[-1].end]
        + [h.mention.char_end for h in holders[:i] if h.mention.char_end <= by_start]
    )
    region = masked[region_start:by_start]
    contrast = list(CONTRAST.finditer(region))
    if contrast:
        region = region[contrast[-1].end() :]
    sign, found, neutral = _polarity(region, topic)
    if neutral:
        return 0, 0.6
    if found:
        return sign * behind[-1].sign, 0.75
    return None


def _without_cues(masked: str, start: int, end: int, cues: list[Cue]) -> str:
    """Text between two offsets with cue spans blanked."""
    chunk = list(masked[start:end])
    for cue in cues:
        for pos in range(max(cue.start, start), min(cue.end, end)):
            chunk[pos - start] = " "
    return "".join(chunk)


def _has_other_cue(segment: str) -> bool:
    """Whether a segment names a topic of its own (so it does not link two holders)."""
    return bool(
        re.search(
            r"\b(?:sanction\w*|troops?|talks?|dialogue|aid|weapons?|pressure"
            r"|negotiat\w+|forces|missiles?)\b",
            segment,
            re.IGNORECASE,
        )
    )


def _polarity(segment: str, topic: Topic) -> tuple[int, bool, bool]:
    """(sign, any polarity word found, neutral) of the words of a segment."""
    sign, found, neutral = 1, False, False
    if topic.terms_re is not None:
        for match in topic.terms_re.finditer(segment):
            found = True
            sign *= 1 if match.lastgroup == "support" else -1
        if found:
            segment = topic.terms_re.sub(" ", segment)
    lexical_sign, lexical_found, neutral = _lexicon_polarity(segment)
    if found and lexical_found and sign < 0 and lexical_sign < 0:
        return -1, True, neutral  # "warned against premature talks": one opposition, not two
    return sign * lexical_sign, found or lexical_found, neutral


@functools.lru_cache(maxsize=4096)
def _lexicon_polarity(segment: str) -> tuple[int, bool, bool]:
    """(sign, found, neutral) of the general lexicon words of a segment (cached)."""
    sign, found, neutral = 1, False, False
    negated = False
    for match in LEXICON.finditer(TIME_PHRASE.sub("", segment)):
        kind = match.lastgroup
        word = match.group().lower()
        if kind == "negation" and word == "nor" and negated:
            continue  # "not X, nor Y" and "neither X nor Y" are one negation
        negated = negated or kind == "negation"
        if kind == "neutral":
            neutral = True
        found = True
        if kind in ("oppose", "negation"):
            sign = -sign
    return sign, found, neutral


def _roll_up(stances: list[Stance], context: _Context) -> list[Stance]:
    """Add the affiliation's stance for people speaking in an official role (and sub-bodies)."""
    extra = []
    for stance in stances:
        actor = context.registry.actors.get(stance.actor_id, {})
        parent = None
        if actor.get("type") == "person":
            role = role_on(stance.actor_id, context.registry, context.day)
            if role and role.get("speaks_for", True):
                parent = role["affiliation"]
        elif actor.get("affiliation"):
            parent = actor["affiliation"]
        if parent and parent in context.registry:
            extra.append(
                Stance(
                    actor_id=parent,
                    topic_id=stance.topic_id,
                    polarity=stance.polarity,
                    confidence=round(stance.confidence * ROLE_DEPENDENT_CONFIDENCE, 3),
                    evidence=stance.evidence,
                    char_start=stance.char_start,
                    char_end=stance.char_end,
                    method=stance.method,
                )
            )
    return stances + extra


def _resolve_conflicts(stances: list[Stance]) -> list[Stance]:
    """One stance per actor, topic and sentence; per actor and topic, the strongest polarity."""
    best: dict[tuple[str, str, str, int], Stance] = {}
    for stance in stances:
        key = (stance.actor_id, stance.topic_id, stance.polarity, stance.char_start)
        if key not in best or best[key].confidence < stance.confidence:
            best[key] = stance
    weight: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for stance in best.values():
        weight[(stance.actor_id, stance.topic_id)][stance.polarity] += stance.confidence
    kept = []
    for stance in best.values():
        totals = weight[(stance.actor_id, stance.topic_id)]
        winner = max(totals, key=lambda polarity: (totals[polarity], polarity == "neutral"))
        if stance.polarity == winner:
            kept.append(stance)
        else:
            logger.debug(
                "dropped %s %s %s: outweighed by %s",
                stance.actor_id,
                stance.topic_id,
                stance.polarity,
                winner,
            )
    return sorted(kept, key=lambda s: (s.char_start, s.actor_id, s.topic_id))


def tag_article(
    text: str,
    registry: Registry,
    topics: list[Topic],
    published_at: datetime | None = None,
    tagger: StanceTagger | None = None,
) -> tuple[list[Mention], list, list[Stance]]:
    """Actors and stances of one article in one call (sentences split once)."""
    spans = split_sentences(text)
    mentions, candidates = tag_actors_with_spans(text, registry, published_at, spans)
    if tagger is None or isinstance(tagger, RuleStanceTagger):
        rules = tagger if isinstance(tagger, RuleStanceTagger) else _DEFAULT_TAGGER
        stances = rules.tag_sentences(text, spans, mentions, registry, topics, published_at)
    else:
        stances = tagger.tag(text, mentions, registry, topics, published_at)
    return mentions, candidates, stances


_DEFAULT_TAGGER = RuleStanceTagger()


def _prf(true_positives: int, predicted: int, expected: int) -> dict[str, float]:
    """Precision, recall and F1."""
    precision = true_positives / predicted if predicted else 1.0
    recall = true_positives / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def _parse_date(value: Any) -> datetime | None:
    """A datetime from an ISO date or datetime string."""
    if not value:
        return None
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def evaluate(
    gold_path: str | Path,
    registry: Registry | None = None,
    topics: list[Topic] | None = None,
    tagger: StanceTagger | None = None,
) -> dict:
    """Actor and stance precision/recall/F1 of a tagger on a gold JSONL file."""
    registry = registry or load_registry()
    topics = topics if topics is not None else load_topics()
    tagger = tagger or RuleStanceTagger()
    counts: dict[str, dict[str, list[int]]] = defaultdict(
        lambda: {"actors": [0, 0, 0], "stances": [0, 0, 0]}
    )
    misses: list[dict] = []
    false_hits: list[dict] = []
    n_items = 0
    for line_number, line in enumerate(Path(gold_path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        n_items += 1
        item_id = item.get("id", f"line-{line_number}")
        published = _parse_date(item.get("published_at"))
        mentions, _, stances = tag_article(item["text"], registry, topics, published, tagger)
        got_actors = {m.actor_id for m in mentions}
        want_actors = set(item.get("actors", []))
        got_stances = {(s.actor_id, s.topic_id, s.polarity) for s in stances}
        want_stances = {(s["actor"], s["topic"], s["polarity"]) for s in item.get("stances", [])}
        parts = ["all"] + ([str(item["part"])] if "part" in item else [])
        for part in parts:
            _count(counts[part]["actors"], got_actors, want_actors)
            _count(counts[part]["stances"], got_stances, want_stances)
        for actor_id in sorted(want_actors - got_actors):
            misses.append({"id": item_id, "kind": "actor", "actor": actor_id})
        for actor_id in sorted(got_actors - want_actors):
            false_hits.append({"id": item_id, "kind": "actor", "actor": actor_id})
        for actor_id, topic_id, polarity in sorted(want_stances - got_stances):
            misses.append(
                {
                    "id": item_id,
                    "kind": "stance",
                    "actor": actor_id,
                    "topic": topic_id,
                    "polarity": polarity,
                }
            )
        for actor_id, topic_id, polarity in sorted(got_stances - want_stances):
            false_hits.append(
                {
                    "id": item_id,
                    "kind": "stance",
                    "actor": actor_id,
                    "topic": topic_id,
                    "polarity": polarity,
                }
            )
    result: dict[str, Any] = {
        "actors": _prf(*counts["all"]["actors"]),
        "stances": _prf(*counts["all"]["stances"]),
        "misses": misses,
        "false_hits": false_hits,
        "n_items": n_items,
        "tagger": getattr(tagger, "name", type(tagger).__name__),
    }
    parts = sorted(part for part in counts if part != "all")
    if parts:
        result["by_part"] = {
            part: {
                "actors": _prf(*counts[part]["actors"]),
                "stances": _prf(*counts[part]["stances"]),
            }
            for part in parts
        }
    return result


def _count(bucket: list[int], got: set, want: set) -> None:
    """Add true positives, predictions and expectations to a [tp, predicted, expected] bucket."""
    bucket[0] += len(got & want)
    bucket[1] += len(got)
    bucket[2] += len(want)


def format_report(result: dict) -> str:
    """Human-readable evaluation report: figures, then misses and false hits."""
    lines = [f"items: {result['n_items']}  tagger: {result.get('tagger', '?')}"]
    for kind in ("actors", "stances"):
        figures = result[kind]
        lines.append(
            f"{kind:8} precision {figures['precision']:.3f}  recall "
            f"{figures['recall']:.3f}  F1 {figures['f1']:.3f}"
        )
    for part, figures in result.get("by_part", {}).items():
        lines.append(
            f"  part {part}: actors F1 {figures['actors']['f1']:.3f}  stances P "
            f"{figures['stances']['precision']:.3f} R {figures['stances']['recall']:.3f}"
            f" F1 {figures['stances']['f1']:.3f}"
        )
    for title, rows in (("misses", result["misses"]), ("false hits", result["false_hits"])):
        lines.append(f"{title} ({len(rows)}):")
        for row in rows:
            detail = (
                row["actor"]
                if row["kind"] == "actor"
                else f"{row['actor']} {row['topic']} {row['polarity']}"
            )
            lines.append(f"  {row['id']}: {row['kind']} {detail}")
    return "\n".join(lines)
