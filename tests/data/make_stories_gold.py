"""Write tests/data/stories_gold.jsonl: hand-written articles labelled with their story.

Run from the repository root: python tests/data/make_stories_gold.py

Every article below was written for this fixture (apart from the two seed articles read from
seeds/). Stories come in confusable pairs where it matters (two UK sanction rounds a week apart,
two earthquakes two days apart, two Russian strikes on Ukraine three days apart, two central-bank
decisions on one day, two EU summits two weeks apart), and some articles are near-duplicate
variants of another (boilerplate, an edited sentence, an added or dropped paragraph, another
headline): those carry "near_duplicate_of" with the id of their original.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "data" / "stories_gold.jsonl"
SEED_000 = ROOT / "seeds" / "000_3089e8b34c872a70.txt"
SEED_003 = ROOT / "seeds" / "003_a5c97dfcc15387b1.txt"

EXTRA = {  # paragraphs appended to articles, written to bring each over 120 words
    "quake-tr-euro": """
The Turkish Red Crescent distributed hot meals and blankets in Yesilyurt, where night
temperatures fell to minus eight Celsius. Seismologists at Bogazici University said the sequence
was behaving as expected for a quake of this size and that the likelihood of a larger shock was
low.""",
    "quake-pe-andes": """
Residents of Camana said the shaking lasted almost a minute. Many spent the night in the
streets, fearing aftershocks, several of which exceeded magnitude 4.""",
    "quake-pe-latam": """
The government said it would send tents, water and food to the worst-hit districts and that
schools in Camana would stay closed on Monday. Engineers were checking the structure of a bridge
over the Camana river before reopening it to heavy traffic.""",
    "uksupp-kyiv": """
Kyiv's own sanctions office had already listed several of the companies named by London,
officials said, and had shared evidence on others with British investigators. Ukrainian military
intelligence estimates that more than 2,000 foreign-made components are found in some types of
Russian cruise missiles.""",
    "kyiv-times": """
Russia's defence ministry said it had carried out a massive strike on energy facilities that
support Ukraine's military industry. Ukraine's grid operator said electricity would be rationed
in Kyiv and the surrounding region for several days while repairs continued.""",
    "ao-wire": """
Reyes, the world number two, had won 12 matches in a row in Melbourne. She served for the match
at 5-4 in the third set but was broken to love.""",
    "ao-sport": """
The Croatian earned 3.5 million Australian dollars in prize money. Her run included wins over
three seeded players, among them the world number one in the quarter-finals.""",
    "ao-euro": """
Her father and coach, Ivan Kovac, told Croatian radio that his daughter had started playing on
the clay courts of a small club in Split at the age of five. The Croatian tennis federation said
the victory would help it raise money for new indoor courts. Kovac's next tournament is in Doha
later this month.""",
    "odesa-wire": """
Ukraine's air force said Russia launched 95 drones across the country overnight, of which 72
were shot down or jammed. Energy facilities in the Mykolaiv region were also hit.""",
    "odesa-marine": """
Shipping data showed at least six other vessels waiting to load at Odesa and the nearby ports of
Chornomorsk and Pivdennyi were not affected.""",
    "odesa-kyiv": """
The port of Odesa has been struck dozens of times since Russia withdrew from the Black Sea grain
deal in 2023. Ukraine has since exported grain through its own shipping corridor, protected by
naval drones and air defences, and says volumes have recovered to pre-war levels.""",
    "ecb-wire": """
The euro rose 0.2% against the dollar after the decision. The ECB will publish new economic
projections at its next meeting in March.""",
    "boe-money": """
Mortgage brokers said around 600,000 households are on tracker or standard variable rate loans
that follow Bank Rate. Most homeowners have fixed-rate deals and will only benefit when they
come to remortgage.""",
    "ecb-frankfurt": """
The next policy meeting is scheduled for March 19 in Frankfurt.""",
    "ecb-digest": """
Economists at a large Dutch bank said they saw the deposit rate at 2% until at least the end of
2026, unless the trade conflict with the United States worsened.""",
    "eu1-capital": """
The Commission will also present a plan to cut network charges and taxes on electricity, which
make up a large part of bills in several member states, she said.""",
    "pt-wire": """
Results showed Ferreira winning in all of Portugal's large cities, while Mota led in several
districts of the interior and in parts of the Algarve. Outgoing President Marcelo Rebelo de
Sousa congratulated the winner and said the transition would be smooth.""",
    "pt-iberia": """
Turnout rose by seven points compared with the first round, as both camps mobilised voters in
what became a referendum on the far right. Ferreira's campaign was supported by former prime
ministers from both main parties. Mota said he would now focus on the parliamentary election.""",
    "pt-euro": """
European Commission President Ursula von der Leyen said she looked forward to working with
Ferreira, whom she described as a committed European. French and Spanish leaders also sent
messages of congratulation. Ferreira served as Portugal's foreign minister between 2015 and 2019
and later taught constitutional law at the University of Coimbra.""",
    "pt-capital": """
Mainstream party leaders admitted on Monday that they needed to respond to the housing crisis,
with the prime minister promising a plan to build 100,000 affordable homes by 2030.""",
    "cloud-tech": """
Stratus said it would add safeguards so that configuration changes are rolled out to one region
at a time.""",
    "cloud-ledger": """
Consumer groups said customers who incurred late-payment charges because of the outage should be
compensated by their banks. Several airlines said they would seek damages from Stratus for the
cost of delays, and shares in the company's parent fell 4% in New York.""",
    "volt-wire": """
The company's chief executive stepped down in November, and a rescue plan drawn up with the
Swedish state and a group of lenders collapsed last month.""",
    "volt-nordic": """
Workers gathered outside the factory gates on Thursday morning, many still wearing their
uniforms. Some said they had been expecting the news for weeks.""",
    "volt-tech": """
Industry analysts said the lesson for Europe was that subsidies alone could not buy
manufacturing know-how, and that partnerships with Asian producers may be the quickest route to
scale.""",
    "measles-wire": """
Measles is one of the most contagious diseases known, spreading through the air when an infected
person coughs or sneezes. The agencies called on governments to identify and vaccinate children
who had missed their doses.""",
    "measles-health": """
The report also showed that more than half of those infected were children under five. Health
workers in Kazakhstan said rural clinics were struggling to reach families who live far from
towns, while misinformation about vaccines on social media had made some parents reluctant to
have their children immunised.""",
    "measles-ledger": """
Clinics are offering appointments for catch-up doses to children and young adults who missed
them, and officials said it was never too late to be vaccinated. Symptoms include a high fever,
a cough and a rash that starts on the face and spreads.""",
    "air-wire": """
Nordair's chief executive will lead the combined company, while Baltica's chairman will become
deputy chairman of the board.""",
    "air-nordic": """
Analysts said the merger made strategic sense in a market where both carriers have struggled
with high fuel costs and competition from low-cost airlines, but warned that integrating two
different fleets and pilot unions would be difficult.""",
    "air-travel": """
The airlines said existing bookings would be honoured and that no routes would be cut before the
deal closes. Travel agents said the larger network could offer more connections from the Baltic
states to Asia and North America through Stockholm, while business travellers may benefit from
combined lounges at the main hubs.""",
    "ucl-wire": """
Bayern goalkeeper Manuel Neuer made several saves to keep the score down, and the German
champions had chances to equalise before Martinelli's late goal. Arsenal have not been beaten at
home in Europe this season.""",
    "ucl-sport": """
Arteta praised his side's intensity and said Saka was in the form of his life. The Arsenal
captain Martin Odegaard left the pitch with a minor knock shortly before full time.""",
    "ucl-euro": """
Kompany said Manuel Neuer had kept Bayern in the tie with his saves and that the atmosphere at
the Allianz Arena could make the difference in the return leg. Bayern have overturned two-goal
first-leg deficits in Europe before. Arsenal will face Chelsea in the Premier League on Sunday
before travelling to Germany.""",
    "eu2-kyiv": """
Ukraine's finance minister said the first tranche could arrive in April. The International
Monetary Fund had made new EU financing a condition of its own support programme for Kyiv.""",
    "eu2-capital": """
Supporters of the plan said it was cheaper than the alternative of Ukraine running out of money,
while critics in several capitals warned that taxpayers could be left with the bill if Russia
never pays.""",
    "eu2-euro": """
Euroclear's chief executive welcomed the decision, saying the use of the assets would have
damaged confidence in Europe's financial system.""",
    "cloud-wire": """
Shares in the company's parent fell in early trading in New York. It was the second serious
outage at Stratus in less than a year.""",
    "eu2-wire": """
Leaders also discussed security guarantees for Ukraine in the event of a ceasefire.""",
    "flood-iberia": """
Train services between Malaga and Seville were suspended after a section of track was washed
away.""",
    "flood-euro": """
Regional authorities said they would review flood defences along the Guadalhorce, where
construction on the flood plain has expanded rapidly in the last two decades. Environmental
groups have long warned that new housing estates were built in areas at risk of flooding, and
insurers said claims could run into hundreds of millions of euros.""",
    "flood-iberia2": """
Insurance companies set up mobile offices in the affected towns to process claims for damaged
homes and vehicles. AEMET said more rain was forecast for the weekend but at much lower
intensity.""",
}

ARTICLES: list[dict] = []
VARIANTS: list[dict] = []


def article(key: str, story: str, when: str, source: str, title: str, text: str) -> None:
    """Record one written article under a key for variants to refer to."""
    if key in EXTRA:
        text = f"{text.strip()}\n\n{EXTRA[key]}"
    ARTICLES.append(
        {"key": key, "story": story, "published_at": when, "source": source, "title": title,
         "text": "\n\n".join(" ".join(p.split()) for p in text.strip().split("\n\n"))}
    )


def variant(key: str, of: str, when: str, source: str, title: str | None = None,
            head: str = "", tail: str = "", replace: tuple[str, str] | None = None,
            append: str = "", drop: int | None = None) -> None:
    """Record a near-duplicate of an article: boilerplate, an edit, a paragraph added or dropped."""
    VARIANTS.append(
        {"key": key, "of": of, "published_at": when, "source": source, "title": title,
         "head": head, "tail": tail, "replace": replace, "append": append, "drop": drop}
    )


def seeds() -> None:
    """The two seed articles: one story."""
    lines = SEED_000.read_text(encoding="utf-8").splitlines()[4:]
    body = "\n".join(lines).strip()
    title, text = body.split("\n", 1)
    article("seed000", "uk-rejects-putin-talks", "2026-01-16T12:21:00Z", "Sada El Balad",
            title.strip(), text.strip())
    article("seed003", "uk-rejects-putin-talks", "2026-01-17T09:00:00Z", "rewrite",
            "UK France and Italy Diverge on Strategy for Engaging with Putin",
            SEED_003.read_text(encoding="utf-8"))


def stories() -> None:
    """The written articles, story by story."""
    article("talks-ledger", "uk-rejects-putin-talks", "2026-01-16T18:40:00Z",
            "The Northern Ledger", "Cooper: no sign that Putin wants peace", """
Britain will not join French and Italian efforts to restart a direct channel to Vladimir Putin,
Foreign Secretary Yvette Cooper has said, arguing that the Kremlin has given no credible signal
that it is ready to end the war in Ukraine.

In an interview with Politico, Cooper said London needed "evidence that Putin actually wants
peace" before talking to him, and that she saw none. Emmanuel Macron and Giorgia Meloni have
both floated the idea that Europe should speak to Moscow itself rather than leave the talking
to Washington.

The split reflects a wider worry in Brussels that European governments will be left out if
Donald Trump's administration negotiates directly with Russia. EU officials are weighing the
appointment of a special envoy for Ukraine so that the bloc has a voice in any talks.

Cooper said the priority was to keep up economic and military pressure on Moscow. Defence
Secretary John Healey has set aside 200 million pounds to prepare British forces for a possible
multinational peacekeeping mission should a ceasefire be agreed, though Germany and Spain remain
reluctant to commit troops.
""")

    # UK sanctions, round one: the shadow fleet (20 January).
    article("ukfleet-wire", "uk-sanctions-shadow-fleet", "2026-01-20T09:15:00Z", "Global Wire",
            "UK sanctions 24 tankers in new strike at Russia's shadow fleet", """
Britain on Tuesday imposed sanctions on 24 oil tankers and two Dubai-based trading companies
that it says help Russia move crude around Western price caps, the latest move against the
so-called shadow fleet that keeps Moscow's oil revenue flowing.

The Foreign Office said the vessels had carried more than 6 billion dollars' worth of Russian
oil since the start of last year, often switching off their transponders and transferring cargo
at sea off the coast of Greece and Malaysia. The two traders, Pelagic Energy FZE and Sandline
Commodities, were accused of arranging insurance and flags of convenience for the ships.

"Every tanker we take out of Putin's shadow fleet is money that does not reach his war
machine," Foreign Secretary Yvette Cooper said.

The measures freeze any UK assets of the two companies and bar the tankers from British ports
and from UK shipping services, including insurance. Britain has now designated more than 500
vessels in the fleet. Officials said they were coordinating with the European Union, which is
preparing its own list of ships as part of a new sanctions package.
""")
    article("ukfleet-herald", "uk-sanctions-shadow-fleet", "2026-01-20T11:02:00Z",
            "Evening Herald",
            "Britain targets oil tankers and Dubai traders over Russian crude", """
Two trading houses registered in Dubai and two dozen ageing tankers have been added to
Britain's sanctions list, as ministers try to squeeze the network of ships that carries
Russian crude beyond the reach of the Western price cap.

According to the government, the tankers hauled oil worth over 6 billion dollars in little more
than a year. Many sail under the flags of small states, turn off their tracking signals and
move cargo from ship to ship in international waters, practices that investigators say make
them hard to follow and dangerous in the event of a spill.

Pelagic Energy FZE and Sandline Commodities are alleged to have organised the insurance and
registration the vessels needed. Their assets in the UK are now frozen and British firms may
no longer insure or service the ships.

Yvette Cooper said the aim was to cut the money that funds the invasion of Ukraine. Britain
says it has now sanctioned more than 500 shadow fleet vessels and is working with Brussels on
a joint list.
""")
    article("ukfleet-monitor", "uk-sanctions-shadow-fleet", "2026-01-20T15:30:00Z",
            "Energy Monitor Daily", "London adds 24 ships to shadow fleet blacklist", """
The British government has blacklisted another 24 tankers that it accuses of shipping Russian
oil in breach of the G7 price cap, together with the two Dubai companies said to have arranged
their paperwork.

Shipping analysts said most of the vessels on the new list are more than 15 years old and have
changed names and flags several times since 2022. Several were tracked loading crude at the
Baltic port of Primorsk before disappearing from satellite tracking systems for days at a time.

The sanctions bar the tankers from UK ports and from British insurers, a significant restriction
because London remains a centre of marine insurance. Pelagic Energy FZE and Sandline
Commodities, the two trading firms, face an asset freeze.

Traders said the impact on oil prices was likely to be small, with Brent crude little changed
on Tuesday, but the measures add to the cost and risk of moving Russian barrels. The European
Union is expected to announce its own designations of shadow fleet ships in the coming weeks.
""")
    article("ukfleet-post", "uk-sanctions-shadow-fleet", "2026-01-21T08:05:00Z",
            "Capital Post", "Russia dismisses British tanker sanctions as 'piracy'", """
Moscow on Wednesday denounced Britain's latest sanctions on oil tankers as an act of piracy,
a day after London added 24 vessels and two Dubai trading companies to its list of firms
helping Russia evade the oil price cap.

Kremlin spokesman Dmitry Peskov said the measures would not change Russia's course and that
Russian oil would continue to find buyers. The Russian embassy in London called the move
illegal under international maritime law.

The British Foreign Office says the tankers carried over 6 billion dollars of crude since the
start of 2025, frequently switching off tracking equipment and transferring cargoes at sea.
The two traders named, Pelagic Energy FZE and Sandline Commodities, are accused of arranging
insurance and flag registrations for the ships.

Britain has now sanctioned more than 500 vessels in what it calls Putin's shadow fleet.
""")
    variant("ukfleet-wire-syn", "ukfleet-wire", "2026-01-20T10:40:00Z", "Coastal Times",
            head="Coastal Times | World | Tuesday 20 January 2026\nAdvertisement",
            tail="Copyright 2026 Global Wire. All rights reserved.\n"
                 "Sign up to our morning briefing for the day's top stories.\n"
                 "Related: Oil prices | Shipping | Russia")
    variant("ukfleet-wire-edit", "ukfleet-wire", "2026-01-20T13:10:00Z", "Metro Online",
            title="UK hits two Dubai traders and 24 tankers with sanctions",
            replace=("The Foreign Office said the vessels had carried more than 6 billion "
                     "dollars' worth of Russian oil since the start of last year,",
                     "The Foreign Office said the ships had moved about 6.4 billion dollars' "
                     "worth of Russian oil since January 2025,"))

    # UK sanctions, round two: military suppliers (27 January), same actors, another event.
    article("uksupp-wire", "uk-sanctions-military-suppliers", "2026-01-27T10:00:00Z",
            "Global Wire", "UK sanctions 30 firms supplying drone parts to Russia", """
Britain on Tuesday sanctioned 30 companies and individuals in China, Turkey, Kyrgyzstan and
Thailand that it says have shipped electronics and machine tools used by Russia to build
drones and missiles.

The Foreign Office said the suppliers had sent microchips, navigation modules and computer
numerical control lathes worth more than 400 million dollars to Russian arms makers since 2024,
often routing them through shell companies to avoid export controls. Among those listed is
Shenzhen Brightline Electronics, which officials said was a major source of components found in
Shahed-type attack drones recovered in Ukraine.

"We are going after the supply chains that keep Putin's factories running," Foreign Secretary
Yvette Cooper said.

The designations freeze assets held in Britain and ban British companies from dealing with those
named. Officials said the action was coordinated with the United States and the European Union.
""")
    article("uksupp-herald", "uk-sanctions-military-suppliers", "2026-01-27T12:45:00Z",
            "Evening Herald",
            "Chinese and Turkish firms hit by UK sanctions over Russian weapons", """
Companies in four countries that are accused of keeping Russia's weapons factories supplied
with Western technology have been added to the UK sanctions list.

Thirty firms and people were named, most of them based in China and Hong Kong, with others in
Turkey, Kyrgyzstan and Thailand. Ministers said they had exported chips, satellite navigation
parts and precision machine tools to Russian defence manufacturers, with shipments valued at
over 400 million dollars.

Investigators examining drones shot down over Ukraine have repeatedly found Western-made
components that reached Russia through third countries. The government singled out Shenzhen
Brightline Electronics, which it described as a key source of parts for Shahed drones.

Beijing's embassy in London said China firmly opposed unilateral sanctions and would protect
the rights of Chinese companies. Turkey's trade ministry said it would examine the British
list.
""")
    article("uksupp-tribune", "uk-sanctions-military-suppliers", "2026-01-27T16:20:00Z",
            "The Tribune", "Britain widens crackdown on Russia's arms supply chain", """
The sanctions announced by London on Tuesday take aim at the middlemen rather than the Russian
arms industry itself: exporters of dual-use goods in Asia and Turkey that British officials
believe have become indispensable to Moscow's production of drones and cruise missiles.

Lathes and milling machines are as important as microchips, said a sanctions specialist at a
London law firm, because Russia cannot make precision parts for missiles without imported
machine tools. Several of the 30 designated entities, she said, were set up after earlier
rounds of Western measures, using new names and addresses.

The UK says the suppliers shipped goods worth more than 400 million dollars since 2024.
Shenzhen Brightline Electronics and a Kyrgyz freight forwarder, Ala-Too Logistic, were among
those named.

Britain has sanctioned more than 2,000 individuals and entities since the full-scale invasion
of Ukraine began in 2022.
""")
    article("uksupp-kyiv", "uk-sanctions-military-suppliers", "2026-01-28T07:30:00Z",
            "Kyiv Daily", "Kyiv welcomes UK sanctions on drone component suppliers", """
Ukraine's foreign ministry on Wednesday welcomed Britain's decision to sanction 30 foreign
companies accused of feeding Russia's drone and missile production, saying the measures would
save Ukrainian lives.

Ukrainian investigators have catalogued thousands of foreign-made parts in drones and missiles
that struck Ukrainian cities, and Kyiv has long urged its allies to pursue the suppliers in
third countries. The British list includes exporters in China, Turkey, Kyrgyzstan and Thailand
that London says sold microchips, navigation modules and machine tools worth over 400 million
dollars to Russian arms makers.

The foreign ministry said it hoped the European Union would follow with similar designations in
its next sanctions package.
""")
    variant("uksupp-wire-plus", "uksupp-wire", "2026-01-27T14:00:00Z", "Midlands Gazette",
            append="Russia's embassy in London did not respond to a request for comment. "
                   "Moscow has previously described Western sanctions as illegal and said they "
                   "have failed to damage its economy.")

    # Two earthquakes two days apart.
    article("quake-tr-wire", "turkey-earthquake", "2026-01-22T04:10:00Z", "Global Wire",
            "Magnitude 6.1 earthquake strikes eastern Turkey", """
A magnitude 6.1 earthquake struck Malatya province in eastern Turkey early on Thursday,
damaging buildings in several towns and sending frightened residents into the streets in
freezing temperatures.

Turkey's disaster agency AFAD said the quake hit at 03:27 local time at a depth of about 9
kilometres, with its epicentre near the town of Yesilyurt. At least 14 people were injured,
most while trying to flee their homes, and 11 buildings that had been damaged in the 2023
earthquakes collapsed. No deaths were reported.

The tremor was felt in the neighbouring provinces of Elazig, Adiyaman and Kahramanmaras, a
region still rebuilding after the devastating February 2023 earthquakes that killed more than
50,000 people in Turkey.

Interior Minister Ali Yerlikaya said search and rescue teams had been sent to the area and that
tents were being set up for families unable to return home. More than 40 aftershocks were
recorded in the first hours.
""")
    article("quake-tr-anka", "turkey-earthquake", "2026-01-22T07:45:00Z", "Anka Review",
            "Malatya shaken by strong quake, old buildings collapse", """
Residents of Malatya spent the night outdoors around bonfires after a strong earthquake rocked
the province before dawn, bringing down a number of buildings already weakened three years ago.

The disaster and emergency authority AFAD put the magnitude at 6.1 and said the epicentre was
in Yesilyurt district. The US Geological Survey measured it at 5.9. Fourteen people were taken
to hospital with injuries, officials said, and there were no reports of deaths.

Schools in Malatya and Elazig were closed for two days while engineers inspect them. Interior
Minister Ali Yerlikaya told reporters that the collapsed buildings had been empty because they
had been marked for demolition after the 2023 disaster.

Seismologists said the quake occurred on a branch of the East Anatolian Fault, the same system
that produced the catastrophic earthquakes of February 2023, and warned that aftershocks could
continue for weeks.
""")
    article("quake-tr-times", "turkey-earthquake", "2026-01-22T13:20:00Z", "World Times",
            "Turkey quake injures 14, revives fears in 2023 disaster zone", """
An earthquake in eastern Turkey on Thursday left 14 people injured and caused the collapse of
buildings that were awaiting demolition, reviving painful memories in a region devastated by
the 2023 earthquakes.

The 6.1-magnitude tremor, centred in Malatya province, struck in the early hours at a shallow
depth. Residents described being thrown from their beds. "We ran outside with the children
without shoes," said Fatma Demir, a teacher in Yesilyurt.

The government's disaster agency said teams were checking more than 1,200 buildings for damage
and that emergency shelters had been opened in sports halls. Dozens of aftershocks followed,
the strongest measuring 4.6.

Critics of the government said the slow pace of reconstruction had left many families living in
damaged homes and containers three years after the 2023 quakes. Officials say more than 450,000
new homes have been built in the region.
""")
    article("quake-tr-euro", "turkey-earthquake", "2026-01-23T09:00:00Z", "Euro Digest",
            "Aftershocks rattle Malatya a day after earthquake", """
Aftershocks continued to shake Malatya province on Friday, a day after a magnitude 6.1
earthquake injured 14 people and brought down 11 empty buildings in eastern Turkey.

The disaster agency AFAD said more than 120 aftershocks had been recorded since the main quake,
which was centred near Yesilyurt. Around 3,000 people spent a second night in tents and
sports halls as engineers went from street to street inspecting homes.

Schools in Malatya and Elazig remain closed. Officials said damage assessments would be
complete by the weekend and that families whose homes were found unsafe would receive rent
support.
""")
    variant("quake-tr-wire-syn", "quake-tr-wire", "2026-01-22T05:30:00Z", "Daily Sabahline",
            head="Breaking News\nDaily Sabahline - Latest\nListen to this article",
            tail="Follow us on social media for live updates.\n"
                 "More from World: Earthquakes | Turkey | Disasters")

    article("quake-pe-wire", "peru-earthquake", "2026-01-24T02:15:00Z", "Global Wire",
            "Strong 6.8 earthquake hits southern Peru", """
A magnitude 6.8 earthquake struck off the coast of southern Peru late on Friday, killing two
people, damaging colonial churches in Arequipa and cutting power to parts of the region.

The US Geological Survey said the quake was centred in the Pacific about 60 kilometres
southwest of the coastal town of Camana, at a depth of 35 kilometres. Peru's navy said there
was no tsunami threat after briefly evaluating the risk.

A man was killed when a wall fell on him in Camana and a woman died in Arequipa city, Peru's
civil defence institute said. More than 70 homes made of adobe were destroyed. Power was
restored to most of Arequipa within hours.

Peru sits on the Pacific Ring of Fire and records hundreds of earthquakes a year, most of them
too weak to be felt.
""")
    article("quake-pe-andes", "peru-earthquake", "2026-01-24T06:40:00Z", "Andes Report",
            "Peru: two dead as quake damages homes and churches in Arequipa", """
Two people died and dozens were injured when a powerful earthquake shook the Arequipa region of
southern Peru on Friday night, the national civil defence institute INDECI said.

The quake, measured at 6.8 by the US Geological Survey and 7.0 by Peru's Geophysical Institute,
had its epicentre at sea off Camana. Adobe houses in rural districts crumbled, and the bell
tower of a 17th-century church in the historic centre of Arequipa was cracked.

President Jose Jeri said he was travelling to the area and that the government would declare
an emergency in the affected provinces. The navy ruled out a tsunami.

Landslides blocked sections of the Pan-American Highway south of Camana, leaving trucks
stranded overnight.
""")
    article("quake-pe-latam", "peru-earthquake", "2026-01-24T14:00:00Z", "LatAm Today",
            "Emergency declared in Arequipa after strong offshore quake", """
Peru declared a 60-day state of emergency in parts of Arequipa on Saturday after an offshore
earthquake of magnitude 6.8 killed two people and destroyed more than 70 adobe homes.

Rescue teams were clearing landslides on the Pan-American Highway near Camana, the coastal
town closest to the epicentre, while engineers inspected churches in Arequipa's historic
centre, a UNESCO World Heritage site. The civil defence institute said 43 people were treated
for injuries.

Seismologists said the quake was caused by the subduction of the Nazca plate beneath South
America, the process behind the 2001 Arequipa earthquake that killed more than 100 people.
""")

    # Two Russian strikes on Ukraine three days apart.
    article("kyiv-wire", "kyiv-energy-strike", "2026-01-30T05:20:00Z", "Global Wire",
            "Russian drones and missiles hit Kyiv power plants, three killed", """
Russia launched a large overnight attack on Kyiv's energy infrastructure, killing three people
and leaving hundreds of thousands of homes without electricity or heating as temperatures fell
to minus 14 Celsius, Ukrainian officials said on Friday.

Ukraine's air force said Russia fired 38 missiles and 310 drones, of which 31 missiles and 270
drones were shot down. Two combined heat and power plants in the capital were hit, Energy
Minister Svitlana Hrynchuk said.

Mayor Vitali Klitschko said a woman and two men were killed in the Darnytskyi district on the
left bank of the Dnipro, where debris set fire to a residential building. Emergency power cuts
were introduced across the Kyiv region.

President Volodymyr Zelensky called on allies to speed up deliveries of air defence systems.
""")
    article("kyiv-ledger", "kyiv-energy-strike", "2026-01-30T09:10:00Z", "The Northern Ledger",
            "Kyiv without heat after overnight barrage on power stations", """
Much of the Ukrainian capital woke up without heating on Friday after a Russian barrage of
missiles and drones targeted the power stations that supply Kyiv's homes with electricity and
hot water.

Three people died in the attack, according to city authorities. Residents of the left-bank
districts said radiators went cold within hours as temperatures dropped well below freezing.
Engineers from the state energy company worked through the morning to reconnect hospitals and
water pumping stations.

Air defence units destroyed most of the 348 drones and missiles fired overnight, the air force
said, but several struck two heat and power plants. Energy Minister Svitlana Hrynchuk said
repairs would take weeks and called it one of the heaviest attacks on the capital's grid since
the war began.
""")
    article("kyiv-times", "kyiv-energy-strike", "2026-01-30T16:45:00Z", "World Times",
            "Zelensky demands more air defence after Kyiv blackout", """
Volodymyr Zelensky on Friday urged Western partners to send more Patriot missiles after a
Russian strike on Kyiv's heating plants left large parts of the city in the cold and dark.

Speaking in his evening address, the Ukrainian president said Russia had deliberately chosen
the coldest night of the winter to hit Kyiv's combined heat and power plants. Three people were
killed and 17 wounded, officials said.

Germany and the Netherlands said they would speed up planned deliveries of air defence
interceptors. Kyiv's mayor Vitali Klitschko said about 600,000 households had been without
power at the peak of the outages and that heating points had been opened in schools.
""")
    variant("kyiv-wire-edit", "kyiv-wire", "2026-01-30T11:30:00Z", "Metro Online",
            replace=("Mayor Vitali Klitschko said a woman and two men were killed",
                     "Mayor Vitali Klitschko said two women and a man were killed, correcting "
                     "an earlier figure,"))

    article("odesa-wire", "odesa-port-strike", "2026-02-02T03:50:00Z", "Global Wire",
            "Russian drones strike Odesa port, damaging grain terminal", """
Russian drones struck the port of Odesa overnight, setting fire to a grain terminal and a
cargo ship and injuring two dock workers, Ukrainian officials said on Monday.

Regional governor Oleh Kiper said the attack involved around 40 drones, most of which were shot
down, but some hit port infrastructure. A Panama-flagged bulk carrier loading wheat caught fire
and the blaze was put out by the morning.

About 2,000 tonnes of grain were destroyed at the terminal, the operator said. Ukraine's
infrastructure ministry said port operations would resume within a day.

Russia has repeatedly targeted Ukraine's Black Sea ports, which handle most of the country's
grain exports.
""")
    article("odesa-marine", "odesa-port-strike", "2026-02-02T10:15:00Z", "Maritime Bulletin",
            "Bulk carrier hit as drones target Odesa grain terminal", """
A bulk carrier loading wheat at Odesa was set ablaze during a Russian drone attack on the port
overnight into Monday, the latest in a series of strikes on Ukraine's Black Sea export hubs.

The Panama-flagged vessel, with a crew of 19 Syrian and Egyptian sailors, suffered damage to
its superstructure. None of the crew were hurt, but two Ukrainian port workers were injured by
shrapnel. The grain terminal's conveyor gallery and a warehouse storing some 2,000 tonnes of
wheat were damaged.

Marine insurers said war-risk premiums for calls at Odesa, already among the highest in the
world, could rise further. Ukraine's navy said the Black Sea corridor remained open.
""")
    article("odesa-kyiv", "odesa-port-strike", "2026-02-02T15:30:00Z", "Kyiv Daily",
            "Odesa port back at work after overnight drone attack", """
Ships resumed loading at Odesa on Monday afternoon, hours after Russian drones hit a grain
terminal and a foreign cargo ship in the port, the infrastructure ministry said.

Governor Oleh Kiper said 40 drones had been launched at the region and air defence destroyed
34. Two port workers were hospitalised with shrapnel wounds. Firefighters spent several hours
extinguishing a blaze on the Panama-flagged bulk carrier, which had been taking on wheat for
Egypt.

Officials said about 2,000 tonnes of grain were lost. Ukraine's foreign minister said the
attack showed Russia was trying to undermine global food security.
""")

    # Two central bank decisions on the same day.
    article("boe-wire", "boe-rate-cut", "2026-02-05T12:05:00Z", "Global Wire",
            "Bank of England cuts interest rates to 3.5%", """
The Bank of England cut interest rates by a quarter point to 3.5% on Thursday, the lowest level
in three years, after inflation eased and the economy showed signs of stalling.

The Monetary Policy Committee voted 5-4 for the cut, with four members preferring to hold rates
at 3.75%, underlining divisions over how quickly borrowing costs should fall. Governor Andrew
Bailey said further reductions were likely to be gradual.

UK consumer price inflation fell to 3.0% in December from 3.2% in November, but remains above
the Bank's 2% target. Economic growth was flat in the final quarter of last year.

The pound slipped against the dollar after the announcement, while mortgage lenders said fixed
rates were likely to fall slightly in the coming weeks.
""")
    article("boe-money", "boe-rate-cut", "2026-02-05T13:30:00Z", "Money Matters",
            "Borrowers get relief as Bank trims base rate", """
Homeowners with tracker mortgages will see their repayments fall after the Bank of England
reduced the base rate from 3.75% to 3.5%, its first move since November.

For a typical tracker loan of 200,000 pounds the cut will save about 30 pounds a month. Savers,
however, face lower returns, and analysts urged them to lock in fixed-rate savings deals before
banks reduce rates further.

The narrow 5-4 vote on the Monetary Policy Committee suggests the Bank remains wary of
persistent price pressures in services and wages. Governor Andrew Bailey said the committee
would move "carefully" and that rates were on a gradual downward path.
""")
    article("boe-city", "boe-rate-cut", "2026-02-05T17:10:00Z", "City Journal",
            "Split MPC delivers quarter-point cut as growth stalls", """
The Bank of England's rate-setters were split almost down the middle on Thursday, with five
voting to lower Bank Rate to 3.5% and four arguing that inflation was still too high to justify
a cut.

Markets had priced in a roughly 70% chance of the move. Gilt yields fell slightly after the
Bank's new forecasts showed inflation returning to the 2% target in early 2027 and growth of
just 0.8% this year.

Economists said the close vote made another cut in March unlikely. "The Bank is cutting, but
with its foot hovering over the brake," said one chief economist at a London investment bank.
Governor Andrew Bailey told reporters that wage growth was slowing and the labour market was
loosening.
""")
    variant("boe-wire-syn", "boe-wire", "2026-02-05T12:40:00Z", "Business Daily",
            title="BoE lowers Bank Rate to 3.5% in 5-4 vote",
            head="Markets | Business Daily",
            tail="This article was produced by Global Wire and published via a syndication "
                 "agreement.\nRead next: What the rate cut means for your mortgage")

    article("ecb-wire", "ecb-rate-hold", "2026-02-05T13:20:00Z", "Global Wire",
            "ECB leaves deposit rate at 2% for fifth straight meeting", """
The European Central Bank left its deposit rate unchanged at 2% on Thursday, as expected,
saying inflation in the euro zone was close to its target and the economy was proving
resilient despite US tariffs.

ECB President Christine Lagarde told a news conference that policy was "in a good place" and
that the Governing Council would continue to decide meeting by meeting. Euro zone inflation was
1.9% in January, according to a flash estimate.

Some policymakers have warned that a stronger euro could push inflation below target later this
year, raising the prospect of a further cut, but Lagarde said the council had not discussed
lowering rates at this meeting.
""")
    article("ecb-frankfurt", "ecb-rate-hold", "2026-02-05T15:00:00Z", "Frankfurt Finance",
            "Lagarde: policy 'in a good place' as ECB holds rates", """
The ECB held borrowing costs steady on Thursday for the fifth meeting in a row, with President
Christine Lagarde signalling no hurry to change course while inflation hovers around 2%.

The euro edged higher after Lagarde said the Governing Council's decision was unanimous and
that risks to growth had become more balanced. Economists at several Frankfurt banks said they
expected the deposit rate to stay at 2% for the rest of the year.

Lagarde acknowledged that the euro's appreciation against the dollar was being watched closely,
because it lowers import prices and could drag inflation below target. She declined to say
whether the council saw the exchange rate as a reason to cut.
""")
    article("ecb-digest", "ecb-rate-hold", "2026-02-05T18:30:00Z", "Euro Digest",
            "Euro zone rates unchanged; markets see no ECB move before summer", """
Financial markets pushed back expectations of the next European Central Bank rate move after
the bank kept its deposit rate at 2% on Thursday and gave no hint of a cut.

Traders now see less than a one-in-three chance of a reduction by July. German two-year bond
yields rose slightly. The ECB said wage growth was moderating and services inflation was
expected to ease during the year.

In contrast to the Bank of England, which cut rates on the same day, the ECB finished its
easing cycle last June after eight cuts. Christine Lagarde said the euro zone economy had
shown resilience in the face of trade tensions.
""")

    # Two EU summits two weeks apart.
    article("eu1-wire", "eu-summit-energy", "2026-02-05T19:00:00Z", "Global Wire",
            "EU leaders agree to expand joint gas buying to cut energy bills", """
European Union leaders agreed at a summit in Brussels on Thursday to extend joint purchasing of
natural gas to electricity contracts and hydrogen, in an attempt to bring down energy prices
that businesses say are undermining European industry.

The summit conclusions ask the European Commission to present proposals by June for pooling
long-term power purchase agreements for energy-intensive companies, such as steel and chemical
plants. Commission President Ursula von der Leyen said high energy costs were "the single
biggest competitive handicap" for European manufacturers.

European Council President Antonio Costa said leaders had also agreed to speed up permits for
cross-border power lines. Hungary and Slovakia objected to language on phasing out Russian gas
imports by 2027, which was moved to a separate statement.
""")
    article("eu1-euro", "eu-summit-energy", "2026-02-06T08:30:00Z", "Euro Digest",
            "Summit deal on energy prices leaves industry wanting more", """
Industry groups gave a cautious welcome on Friday to the energy agreement reached by EU leaders
in Brussels, saying that pooling power contracts was a step forward but would not quickly lower
the bills of factories struggling against US and Chinese competitors.

Leaders asked the Commission to draw up plans for joint purchasing of electricity for
energy-intensive industries and to speed up approvals for grid connections between member
states. Steelmakers said electricity in Europe still cost two to three times as much as in the
United States.

The summit was marked by a dispute with Hungary and Slovakia over the phase-out of Russian gas,
which Budapest said would raise prices for its households. Antonio Costa, who chaired the
meeting, said 25 countries backed the plan.
""")
    article("eu1-capital", "eu-summit-energy", "2026-02-06T12:00:00Z", "Capital Post",
            "Von der Leyen promises plan on power contracts after Brussels summit", """
Ursula von der Leyen said on Friday that the European Commission would come forward within four
months with a scheme allowing companies to buy electricity together, after EU leaders backed
the idea at their summit.

The Commission president said the model would build on the bloc's joint gas purchasing
platform, set up in 2022 after Russia cut supplies. Large industrial users would be able to sign
long-term contracts with wind and solar producers at stable prices.

Diplomats said the summit, chaired by Antonio Costa, had been dominated by competitiveness and
energy costs, with a short discussion on Ukraine. Hungary's Viktor Orban refused to endorse the
text on ending Russian gas imports.
""")

    article("eu2-wire", "eu-summit-ukraine-loan", "2026-02-19T21:30:00Z", "Global Wire",
            "EU leaders back 90 billion euro loan for Ukraine at special summit", """
European Union leaders meeting in Brussels on Thursday endorsed a 90 billion euro loan to
Ukraine for the next two years, funded by joint EU borrowing, after failing to agree on using
frozen Russian central bank assets.

European Council President Antonio Costa said the money would cover most of Ukraine's military
and budget needs in 2026 and 2027. Hungary, Slovakia and the Czech Republic will not take part
in the borrowing but agreed not to block it.

Belgium, where most of the immobilised Russian assets are held at the clearing house Euroclear,
had refused to back the reparations loan plan without guarantees from other member states
against legal risks. Ursula von der Leyen said the assets would remain frozen.
""")
    article("eu2-kyiv", "eu-summit-ukraine-loan", "2026-02-20T07:40:00Z", "Kyiv Daily",
            "Zelensky thanks EU for 90 billion euros but regrets assets decision", """
Volodymyr Zelensky thanked European leaders on Friday for agreeing to lend Ukraine 90 billion
euros, saying the money would keep the country's army and government running for two years.

The Ukrainian president, who addressed the special summit by video link, said he regretted that
the EU had not yet used frozen Russian assets to pay for the damage Russia had caused. "The
aggressor must pay," he said.

Ukraine had warned that it would run out of money in the second quarter without new funding.
The loan will be raised on capital markets by the European Commission and repaid only if Russia
pays reparations, officials said.
""")
    article("eu2-euro", "eu-summit-ukraine-loan", "2026-02-20T10:15:00Z", "Euro Digest",
            "Belgium's resistance forces EU to borrow for Ukraine", """
Belgian Prime Minister Bart De Wever emerged from Thursday night's special summit claiming
victory, after EU leaders dropped plans to use frozen Russian assets held in Brussels to fund
Ukraine and opted for common borrowing instead.

De Wever had argued that Belgium would be exposed to Russian legal claims worth up to 185
billion euros if the Euroclear assets were used. The compromise 90 billion euro loan will be
financed by EU bonds backed by the bloc's budget headroom.

Diplomats said the summit had been tense, with Germany and the Nordic countries pushing to use
the assets. Antonio Costa said the decision ensured Ukraine was funded and kept the option of
the assets open for the future.
""")
    article("eu2-capital", "eu-summit-ukraine-loan", "2026-02-20T13:50:00Z", "Capital Post",
            "What the EU's Ukraine loan means for taxpayers", """
The 90 billion euro loan agreed by EU leaders at their special summit will be raised by the
European Commission on bond markets, with interest costs covered by the EU budget, officials
explained on Friday.

Ukraine will only have to repay the money if Russia pays war reparations. Twenty-four member
states will guarantee the borrowing through the budget; Hungary, Slovakia and the Czech Republic
opted out.

Economists estimate that interest payments could cost around 3 billion euros a year. Frozen
Russian assets of about 210 billion euros remain immobilised in the EU, mostly at Euroclear in
Belgium, and leaders said they could still be used later.
""")

    # Tech: a cloud outage.
    article("cloud-wire", "stratus-cloud-outage", "2026-02-10T14:30:00Z", "Global Wire",
            "Stratus Cloud outage knocks banks and airlines offline", """
A major outage at Stratus Cloud, one of the world's largest cloud computing providers, disrupted
online banking, airline check-in systems and streaming services across Europe and North America
for more than six hours on Tuesday.

The company said the problem began at 07:10 GMT in its Frankfurt region after a faulty update to
its internal DNS configuration, which left servers unable to find each other. Services were
gradually restored from 13:40 GMT.

Customers of at least five European banks were unable to log into apps or make card payments
online, and two airlines reported delays after check-in kiosks failed. Outage tracking sites
recorded more than 2 million user reports.

Stratus said it would publish a full incident review and apologised to customers.
""")
    article("cloud-tech", "stratus-cloud-outage", "2026-02-10T16:05:00Z", "TechPulse",
            "A bad DNS change took down Stratus for six hours. Here's what happened", """
Tuesday's Stratus Cloud meltdown started with a routine change. According to the company's
status page, engineers pushed an update to the DNS configuration that its Frankfurt data centres
use to route traffic between internal services. The update contained an error that spread
automatically to other regions before it could be rolled back.

Because so many of Stratus's own tools depend on the same DNS system, engineers struggled to
reach the systems they needed to fix it, stretching the outage past six hours.

The failure rippled through thousands of websites and apps built on Stratus, from banking
and payments to video streaming and smart home devices. Reliability engineers said the episode
showed the risk of concentration in cloud infrastructure.
""")
    article("cloud-money", "stratus-cloud-outage", "2026-02-10T18:20:00Z", "Money Matters",
            "Bank customers locked out of apps as cloud provider fails", """
Millions of bank customers could not pay bills or check balances on Tuesday after an outage at
cloud provider Stratus hit the apps of several major European lenders.

Card payments in shops continued to work for most customers, banks said, but online transfers
and app log-ins failed for much of the morning. One airline said it had to check passengers in
by hand at Amsterdam and Frankfurt airports, causing queues and flight delays.

Financial regulators said they would ask banks for details of the disruption. The European
Banking Authority has warned that heavy reliance on a few cloud firms poses risks to financial
stability. Stratus blamed an error in a DNS update and said services were fully restored by the
afternoon.
""")
    article("cloud-ledger", "stratus-cloud-outage", "2026-02-11T09:00:00Z", "The Northern Ledger",
            "Calls for cloud rules grow after Stratus outage", """
European lawmakers called on Wednesday for tighter oversight of cloud computing companies after
a six-hour outage at Stratus Cloud brought down banking apps, airline systems and streaming
services a day earlier.

Under the EU's Digital Operational Resilience Act, large cloud providers serving banks can be
designated as critical and supervised directly by financial regulators. Several MEPs said
Stratus should be among the first to be designated.

The company said the outage was caused by a faulty DNS configuration update in its Frankfurt
region and that it would change how such updates are deployed.
""")
    variant("cloud-wire-drop", "cloud-wire", "2026-02-10T15:10:00Z", "Regional Courier",
            head="Technology\nRegional Courier\nBy Courier staff and wire services",
            drop=3)

    # Tech/business: a battery maker collapses.
    article("volt-wire", "voltra-bankruptcy", "2026-02-12T08:00:00Z", "Global Wire",
            "Swedish battery maker Voltra files for bankruptcy", """
Voltra, the Swedish start-up once seen as Europe's best hope of building a home-grown battery
industry, filed for bankruptcy on Thursday after failing to secure new funding.

The company said talks with investors and customers had broken down and that it could no longer
pay its debts. Voltra employed around 3,000 people at its factory in northern Sweden, which had
struggled to raise production of lithium-ion cells for electric cars.

Voltra raised more than 14 billion dollars from investors including carmakers and pension
funds. It lost a major order from a German carmaker last year after repeated delivery delays.
A court-appointed administrator will look for buyers for the plant.
""")
    article("volt-nordic", "voltra-bankruptcy", "2026-02-12T11:30:00Z", "Nordic Business",
            "Voltra collapse leaves 3,000 jobs in doubt in northern Sweden", """
The bankruptcy of Voltra is a heavy blow to the town that bet its future on the battery
factory, local officials said on Thursday, with thousands of jobs now at risk.

The municipality had built new homes, schools and a railway link to support the plant's
workforce, many of whom moved from abroad. Union representatives said workers had been told
that salaries for February would be covered by the state wage guarantee.

Sweden's industry minister said the government would not bail out the company but would work
with the administrator to find a new owner. Analysts said Asian battery makers could be
interested in the factory, which has struggled with low production yields.
""")
    article("volt-tech", "voltra-bankruptcy", "2026-02-12T15:45:00Z", "TechPulse",
            "What Voltra's failure means for Europe's EV battery ambitions", """
Voltra's bankruptcy filing on Thursday raises hard questions about Europe's plan to make its own
batteries for electric cars rather than depend on Chinese suppliers.

The Swedish company raised billions of dollars but never managed to scale up production: its
factory turned out only a fraction of its planned capacity, with a high share of defective
cells. Experts said Chinese manufacturers had spent decades learning the process and now sell
cells at prices Europeans cannot match.

The European Commission said it remained committed to building a battery industry and pointed
to other projects in France and Germany. Carmakers that had invested in Voltra are expected to
write off their stakes.
""")

    # Sport: football and tennis.
    article("ucl-wire", "arsenal-bayern", "2026-02-18T22:10:00Z", "Global Wire",
            "Arsenal beat Bayern 3-1 in Champions League first leg", """
Arsenal took control of their Champions League last-16 tie with a 3-1 win over Bayern Munich at
the Emirates Stadium on Wednesday, with two goals from Bukayo Saka.

Saka opened the scoring after 12 minutes with a curling shot from the edge of the box and added
a second from the penalty spot early in the second half. Harry Kane pulled one back for Bayern
with a header, but substitute Gabriel Martinelli restored the two-goal lead in stoppage time.

The second leg is in Munich on March 11. Arsenal manager Mikel Arteta said the tie was "far from
over" against a team with Bayern's experience.
""")
    article("ucl-sport", "arsenal-bayern", "2026-02-18T23:30:00Z", "Sports Desk",
            "Saka double puts Arsenal in command against Bayern", """
Bukayo Saka scored twice as Arsenal beat Bayern Munich 3-1 in north London on Wednesday night to
give themselves a strong advantage before the return leg in Germany.

The England winger was the best player on the pitch, tormenting Bayern's defence down the right
and scoring with a superb first-half strike and a penalty after Declan Rice was fouled. Harry
Kane, booed on his return to north London, headed in a corner to make it 2-1.

Bayern pressed for an equaliser, but Gabriel Martinelli broke away in the 93rd minute to score
Arsenal's third. Vincent Kompany, the Bayern coach, said his side had been punished for
mistakes.
""")
    article("ucl-euro", "arsenal-bayern", "2026-02-19T08:15:00Z", "Euro Digest",
            "Kompany: Bayern can still turn it around in Munich", """
Bayern Munich coach Vincent Kompany insisted on Thursday that his team could overturn a two-goal
deficit against Arsenal, after a 3-1 defeat in the first leg of their Champions League last-16
tie in London.

Kompany said Bayern had dominated possession but made individual errors that Arsenal punished,
pointing to the penalty conceded early in the second half. Harry Kane scored Bayern's only goal.

German newspapers were critical of the defending, with one describing it as "naive". The return
match at the Allianz Arena is on March 11.
""")

    article("ao-wire", "australian-open-final", "2026-01-31T11:40:00Z", "Global Wire",
            "Kovac wins Australian Open for first Grand Slam title", """
Croatia's Mila Kovac won her first Grand Slam title on Saturday, beating defending champion
Anna Reyes 6-4, 3-6, 7-5 in a tense Australian Open final in Melbourne.

The 22-year-old broke serve in the final game after saving two break points at 5-5, and sealed
the match on her third championship point when Reyes sent a backhand long. The final lasted two
hours and 41 minutes under the roof of Rod Laver Arena as temperatures outside exceeded 38
Celsius.

Kovac, ranked 14th in the world, had never gone past the quarter-finals of a major tournament
before this fortnight. She will rise into the top 10 on Monday.
""")
    article("ao-sport", "australian-open-final", "2026-01-31T13:00:00Z", "Sports Desk",
            "Kovac holds nerve to stun Reyes in Melbourne final", """
Mila Kovac dropped her racket and fell to her knees after beating Anna Reyes in three sets to
become the first Croatian woman to win the Australian Open.

Kovac, who had lost in the first round in Melbourne a year ago, played fearlessly in the
deciding set, hitting 14 winners and coming back from a break down to win it 7-5. Reyes, who
was chasing a second consecutive title, won the second set with a run of five straight games.

"I don't know what to say, I am dreaming," Kovac said during the trophy ceremony, thanking her
father, who is also her coach. Reyes said her opponent had "played the big points better".
""")
    article("ao-euro", "australian-open-final", "2026-02-01T07:30:00Z", "Euro Digest",
            "Zagreb celebrates as Kovac takes Melbourne crown", """
Hundreds of fans gathered in central Zagreb overnight to watch Mila Kovac win the Australian
Open, with the Croatian prime minister among the first to congratulate the 22-year-old.

Kovac beat Anna Reyes 6-4, 3-6, 7-5 in the final to become Croatia's first female Grand Slam
singles champion. Croatian television said the match was watched by more than a million people,
a quarter of the country's population.

Kovac is expected to return home next week, when the city plans a reception in the main square.
""")

    # Disaster: floods in Spain.
    article("flood-wire", "malaga-floods", "2026-02-25T10:20:00Z", "Global Wire",
            "Five dead as flash floods hit Spain's Malaga province", """
Flash floods caused by torrential rain killed five people in the southern Spanish province of
Malaga on Wednesday, swept away cars and forced the evacuation of more than 3,000 residents,
emergency services said.

Spain's weather agency AEMET had issued a red warning after more than 200 litres of rain per
square metre fell in under eight hours in parts of the Guadalhorce valley. The Guadalhorce river
burst its banks near the towns of Cartama and Alhaurin de la Torre.

Among the dead were an elderly couple trapped in their home and a driver whose car was carried
away by a torrent. Soldiers from the military emergency unit UME were deployed to help rescue
people from rooftops. Schools across the province were closed and Malaga airport diverted
several flights.
""")
    article("flood-iberia", "malaga-floods", "2026-02-25T14:00:00Z", "Iberia Today",
            "Guadalhorce valley under water after record rainfall", """
Residents of the Guadalhorce valley were rescued from rooftops by helicopter on Wednesday after
the river of the same name overflowed following a night of record rain in Andalusia.

AEMET said one station near Cartama recorded 230 litres per square metre, more than the area
usually receives in three months. Five people died, regional president Juanma Moreno said, and
two people were missing.

The military emergency unit UME and the Guardia Civil evacuated more than 3,000 people. Images
on social media showed cars piled on top of each other in the streets of Alhaurin de la Torre.
Prime Minister Pedro Sanchez said the government would declare the area a disaster zone.
""")
    article("flood-euro", "malaga-floods", "2026-02-25T19:45:00Z", "Euro Digest",
            "Spain floods reignite debate over emergency warnings", """
The deadly floods in Malaga have revived criticism of how Spanish authorities warn the public
of extreme weather, little more than a year after the Valencia disaster in which more than 220
people died.

Mobile phone alerts were sent to residents of the Guadalhorce valley on Tuesday evening, hours
before the river burst its banks, and officials said the early warning had saved lives.
Nevertheless, five people were killed and more than 3,000 evacuated.

Climate scientists said warmer Mediterranean waters were making intense autumn and winter
downpours in Spain more frequent.
""")
    article("flood-iberia2", "malaga-floods", "2026-02-26T09:30:00Z", "Iberia Today",
            "Clean-up begins in Malaga as missing people are found", """
Rescue teams in Malaga found the two people who had been missing since Wednesday's floods alive
in a farmhouse cut off by the water, regional officials said on Thursday, as the clean-up began
in the Guadalhorce valley.

The death toll remained at five. Hundreds of volunteers with shovels joined soldiers clearing mud
from streets in Cartama and Alhaurin de la Torre. Farmers said citrus and avocado orchards had
been destroyed across the valley.

The central government approved an emergency fund for the affected towns and said it would
declare a disaster zone, which allows direct aid to families and businesses.
""")
    variant("flood-wire-syn", "flood-wire", "2026-02-25T11:05:00Z", "Sur Weekly",
            title="Spain: deadly flash floods in Malaga, thousands evacuated",
            head="Sur Weekly - English edition\nHome > Andalucia > Malaga",
            tail="Comments are closed for this article.\n"
                 "Subscribe to Sur Weekly for 1 euro for the first month.")

    # Election.
    article("pt-wire", "portugal-presidential-runoff", "2026-02-08T21:30:00Z", "Global Wire",
            "Centrist Ferreira wins Portugal's presidential run-off", """
Centrist candidate Helena Ferreira won Portugal's presidential run-off on Sunday, defeating
far-right challenger Rui Tavares Mota with about 61% of the vote, according to near-complete
official results.

Ferreira, a former law professor and foreign minister backed by the Socialists and several
centre-right figures, will become the first woman to hold the Portuguese presidency. Turnout was
around 58%, higher than in the first round.

Mota, leader of the nationalist Renovar party, won close to 39%, the best result for the far
right in a Portuguese presidential election. He conceded defeat and said his movement would
keep growing.
""")
    article("pt-iberia", "portugal-presidential-runoff", "2026-02-08T23:50:00Z", "Iberia Today",
            "Portugal elects its first woman president", """
Helena Ferreira will be Portugal's first female head of state after voters backed her by a wide
margin in Sunday's second round, rejecting the nationalist Rui Tavares Mota.

Speaking to supporters in Lisbon, Ferreira promised to be "the president of all Portuguese" and
to defend the constitution and the country's place in Europe. Mota's 39% share was nevertheless
a record for his Renovar party, which has risen rapidly on the back of anger over housing costs
and immigration.

The presidency in Portugal is largely ceremonial but the head of state can dissolve parliament
and veto legislation.
""")
    article("pt-euro", "portugal-presidential-runoff", "2026-02-09T08:00:00Z", "Euro Digest",
            "European leaders congratulate Ferreira on Portuguese election win", """
EU leaders congratulated Helena Ferreira on Monday after she comfortably won Portugal's
presidential run-off against far-right candidate Rui Tavares Mota.

Ferreira, 58, took around 61% of the vote in Sunday's second round. Analysts said a broad
coalition of voters from the left and centre-right had rallied behind her to keep the Renovar
leader out of office, although his result showed the growing strength of the far right.

She will be sworn in on March 9, succeeding a president who served two terms.
""")
    article("pt-capital", "portugal-presidential-runoff", "2026-02-09T12:30:00Z", "Capital Post",
            "Far right's record score overshadows Portugal's presidential result", """
Rui Tavares Mota lost Portugal's presidential election on Sunday, but the 39% he won in the
run-off against Helena Ferreira is being read in Lisbon as a warning to the mainstream parties.

Mota's Renovar party came first in many towns of the interior and the Algarve, areas hit by a
shortage of affordable housing. Political scientists said the result would strengthen his
position ahead of the parliamentary election due next year.

Ferreira, the winner with 61%, said in her victory speech that she had heard the frustration of
voters who backed her opponent.
""")

    # Health.
    article("measles-wire", "measles-europe", "2026-02-14T09:30:00Z", "Global Wire",
            "WHO warns of measles surge in Europe as vaccination rates fall", """
Measles cases in Europe and Central Asia more than doubled last year, the World Health
Organization and UNICEF said on Saturday, warning that falling vaccination rates were leaving
children exposed to a highly contagious disease.

The region reported about 127,000 cases in 2025, the highest number in over 25 years, with
Romania, Kazakhstan and Ukraine among the worst affected. Thirty-eight people died, most of them
young children.

The agencies said vaccination coverage with the second dose of the measles vaccine had fallen
below the 95% needed to stop outbreaks in many countries, partly because of disruption during
the Covid-19 pandemic and growing vaccine hesitancy.
""")
    article("measles-health", "measles-europe", "2026-02-14T13:15:00Z", "Health Watch",
            "Measles cases in Europe hit highest level in a quarter of a century", """
Europe recorded its highest number of measles infections since the late 1990s last year,
according to figures published on Saturday by the WHO's regional office and UNICEF.

Around 127,000 cases were reported across 53 countries, more than twice the total of the year
before. Romania accounted for the largest share, followed by Kazakhstan. Doctors in Romania said
many infected children had never received a single dose of vaccine.

The WHO's regional director said the figures should be "a wake-up call" and urged governments
to run catch-up vaccination campaigns for children who missed routine shots.
""")
    article("measles-ledger", "measles-europe", "2026-02-15T10:00:00Z", "The Northern Ledger",
            "Doctors urge parents to check children's jabs after WHO measles warning", """
Family doctors urged parents on Sunday to make sure their children are fully vaccinated against
measles, after the World Health Organization reported that cases in Europe had more than doubled
to about 127,000 last year.

Two doses of the MMR vaccine give around 97% protection. Public health officials said uptake of
the second dose among five-year-olds had fallen to around 85% in some areas, well below the 95%
target.

The WHO and UNICEF warned that the disease can cause pneumonia, brain swelling and death, and
that outbreaks spread quickly in schools and nurseries.
""")

    # Business: airline merger.
    article("air-wire", "airline-merger", "2026-02-16T07:00:00Z", "Global Wire",
            "Nordair and Baltica agree merger to create regional airline group", """
Scandinavian carrier Nordair and Latvia's Baltica Airways agreed on Monday to merge in an
all-share deal valuing the combined group at about 2.8 billion euros, creating the largest
airline in the Nordic and Baltic region.

Nordair shareholders will own 65% of the new company, which will keep both brands and be based
in Stockholm. The airlines said the deal would save about 150 million euros a year by 2028,
mainly through joint aircraft purchasing and maintenance.

The merger needs approval from the European Commission, which is expected to examine overlapping
routes between Stockholm, Riga and Helsinki. The companies said they expected to complete the
deal in the first half of 2027.
""")
    article("air-nordic", "airline-merger", "2026-02-16T10:45:00Z", "Nordic Business",
            "Nordair-Baltica deal faces tough competition review", """
Competition lawyers said on Monday that the planned tie-up between Nordair and Baltica Airways
would face a lengthy review in Brussels because the two carriers together control most flights
on several Baltic routes.

The airlines, which announced an all-share merger valued at 2.8 billion euros, said they were
prepared to give up take-off and landing slots at Riga and Stockholm Arlanda if required.
Baltica's chief executive said the combination would allow the group to compete with larger
European rivals.

Nordair shares rose 6% in Stockholm. Trade unions at Baltica said they wanted guarantees that
jobs in Riga would be protected.
""")
    article("air-travel", "airline-merger", "2026-02-17T09:20:00Z", "Travel Trade",
            "What the Nordair and Baltica merger means for passengers", """
Passengers of Nordair and Baltica Airways will not see immediate changes after the two airlines
announced their merger on Monday, the companies said, as the deal is not expected to close until
2027.

Frequent flyer points will eventually be combined into one loyalty programme. Consumer groups
warned that fares on routes where the two carriers compete, such as Riga to Stockholm and
Helsinki, could rise if the European Commission does not impose conditions.

The group will operate about 180 aircraft and carry some 30 million passengers a year.
""")


def _apply(spec: dict, base: dict) -> dict:
    """The near-duplicate row described by a variant spec."""
    text = base["text"]
    if spec["replace"]:
        old, new = spec["replace"]
        if old not in text:
            raise ValueError(f"{spec['key']}: text to replace not found")
        text = text.replace(old, new)
    paragraphs = text.split("\n\n")
    if spec["drop"] is not None:
        del paragraphs[spec["drop"]]
    if spec["append"]:
        paragraphs.append(spec["append"])
    text = "\n\n".join(p for p in [spec["head"], *paragraphs, spec["tail"]] if p)
    return {"key": spec["key"], "story": base["story"], "published_at": spec["published_at"],
            "source": spec["source"], "title": spec["title"] or base["title"], "text": text,
            "near_duplicate_of": spec["of"]}


def rows() -> list[dict]:
    """All rows, numbered by publication time, variants pointing at their original's id."""
    seeds()
    stories()
    by_key = {a["key"]: a for a in ARTICLES}
    everything = ARTICLES + [_apply(v, by_key[v["of"]]) for v in VARIANTS]
    everything.sort(key=lambda r: (r["published_at"], r["key"]))
    ids = {r["key"]: i for i, r in enumerate(everything, start=1)}
    out = []
    for r in everything:
        row = {"id": ids[r["key"]], "title": r["title"], "text": r["text"],
               "published_at": r["published_at"], "source": r["source"], "story": r["story"]}
        if r.get("near_duplicate_of"):
            row["near_duplicate_of"] = ids[r["near_duplicate_of"]]
        out.append(row)
    return out


def main() -> None:
    """Write the JSON-lines file."""
    data = rows()
    with OUT.open("w", encoding="utf-8") as handle:
        for row in data:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    stories_n = len({r["story"] for r in data})
    print(f"wrote {len(data)} articles in {stories_n} stories to {OUT}")


if __name__ == "__main__":
    main()
