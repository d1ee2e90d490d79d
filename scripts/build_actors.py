"""Build src/monitor/data/actors.json: countries from pycountry plus hand-kept tables.

Run with ``.venv/bin/python scripts/build_actors.py``. The output is an ordinary data file: it may
be edited by hand afterwards, and it is validated by schemas/actors.schema.json when loaded.
"""

from __future__ import annotations

import json
import logging
import re
import unicodedata
from pathlib import Path

import pycountry

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "src" / "monitor" / "data" / "actors.json"

# alpha-3: demonyms ; capitals (metonyms) ; extra aliases ; other metonyms.
COUNTRY_TABLE = """
AFG: Afghan|Afghans ; Kabul ; ;
ALB: Albanian|Albanians ; Tirana ; ;
DZA: Algerian|Algerians ; Algiers ; ;
AGO: Angolan|Angolans ; Luanda ; ;
ARG: Argentine|Argentinian|Argentines|Argentinians ; Buenos Aires ; ; Casa Rosada
ARM: Armenian|Armenians ; Yerevan ; ;
AUS: Australian|Australians ; Canberra ; ;
AUT: Austrian|Austrians ; Vienna ; ;
AZE: Azerbaijani|Azeri|Azerbaijanis ; Baku ; ;
BHR: Bahraini|Bahrainis ; Manama ; ;
BGD: Bangladeshi|Bangladeshis ; Dhaka ; ;
BLR: Belarusian|Belarusians ; Minsk ; ;
BEL: Belgian|Belgians ; ; ;
BEN: Beninese ; Porto-Novo ; ;
BOL: Bolivian|Bolivians ; La Paz|Sucre ; ;
BIH: Bosnian|Bosnians ; Sarajevo ; Bosnia|Bosnia-Herzegovina ;
BWA: Botswanan|Batswana ; Gaborone ; ;
BRA: Brazilian|Brazilians ; Brasilia|Brasília ; ; Planalto
BGR: Bulgarian|Bulgarians ; Sofia ; ;
BFA: Burkinabe|Burkinabè ; Ouagadougou ; ;
KHM: Cambodian|Cambodians ; Phnom Penh ; ;
CMR: Cameroonian|Cameroonians ; Yaounde|Yaoundé ; ;
CAN: Canadian|Canadians ; Ottawa ; ;
CAF: Central African ; Bangui ; CAR ;
TCD: Chadian|Chadians ; N'Djamena ; ;
CHL: Chilean|Chileans ; Santiago ; ;
CHN: Chinese ; Beijing|Peking ; PRC|People's Republic of China|Mainland China ; Zhongnanhai
COL: Colombian|Colombians ; Bogota|Bogotá ; ;
COD: Congolese ; Kinshasa ; DRC|DR Congo|Congo|Democratic Republic of the Congo| \
Democratic Republic of Congo|Congo-Kinshasa ;
COG: ; Brazzaville ; Republic of the Congo|Congo-Brazzaville ;
CRI: Costa Rican|Costa Ricans ; San Jose|San José ; ;
CIV: Ivorian|Ivorians ; Yamoussoukro|Abidjan ; Ivory Coast ;
HRV: Croatian|Croatians|Croat|Croats ; Zagreb ; ;
CUB: Cuban|Cubans ; Havana ; ;
CYP: Cypriot|Cypriots ; Nicosia ; ;
CZE: Czech|Czechs ; Prague ; Czech Republic ;
DNK: Danish|Dane|Danes ; Copenhagen ; ;
DJI: Djiboutian ; ; ;
DOM: Dominican|Dominicans ; Santo Domingo ; ;
ECU: Ecuadorian|Ecuadorians ; Quito ; ;
EGY: Egyptian|Egyptians ; Cairo ; ;
SLV: Salvadoran|Salvadorans ; San Salvador ; ;
ERI: Eritrean|Eritreans ; Asmara ; ;
EST: Estonian|Estonians ; Tallinn ; ;
ETH: Ethiopian|Ethiopians ; Addis Ababa ; ;
FIN: Finnish|Finn|Finns ; Helsinki ; ;
FRA: French|Frenchman|Frenchwoman ; Paris ; ; Elysee|Élysée|Elysée|Elysee Palace| \
Élysée Palace|Elysée Palace|Quai d'Orsay
GAB: Gabonese ; Libreville ; ;
GEO: Georgian|Georgians ; Tbilisi ; ;
DEU: German|Germans ; Berlin ; ; Bundestag|Chancellery in Berlin
GHA: Ghanaian|Ghanaians ; Accra ; ;
GRC: Greek|Greeks ; Athens ; ;
GTM: Guatemalan|Guatemalans ; Guatemala City ; ;
GIN: Guinean|Guineans ; Conakry ; ;
HTI: Haitian|Haitians ; Port-au-Prince ; ;
HND: Honduran|Hondurans ; Tegucigalpa ; ;
HUN: Hungarian|Hungarians ; Budapest ; ;
ISL: Icelandic|Icelander|Icelanders ; Reykjavik|Reykjavík ; ;
IND: Indian|Indians ; New Delhi ; ;
IDN: Indonesian|Indonesians ; Jakarta ; ;
IRN: Iranian|Iranians ; Tehran ; ;
IRQ: Iraqi|Iraqis ; Baghdad ; ;
IRL: Irish ; Dublin ; ; Dail|Dáil
ISR: Israeli|Israelis ; Jerusalem ; ; Knesset
ITA: Italian|Italians ; Rome ; ; Palazzo Chigi|Farnesina
JPN: Japanese ; Tokyo ; ;
JOR: Jordanian|Jordanians ; Amman ; ;
KAZ: Kazakh|Kazakhstani|Kazakhs ; Astana ; ;
KEN: Kenyan|Kenyans ; Nairobi ; ;
PRK: North Korean|North Koreans ; Pyongyang ; DPRK ;
KOR: South Korean|South Koreans ; Seoul ; ;
KWT: Kuwaiti|Kuwaitis ; Kuwait City ; ;
KGZ: Kyrgyz ; Bishkek ; ;
LAO: Lao|Laotian ; Vientiane ; ;
LVA: Latvian|Latvians ; Riga ; ;
LBN: Lebanese ; Beirut ; ;
LBY: Libyan|Libyans ; Tripoli ; ;
LTU: Lithuanian|Lithuanians ; Vilnius ; ;
LUX: Luxembourgish|Luxembourger|Luxembourgers ; ; ;
MDG: Malagasy ; Antananarivo ; ;
MWI: Malawian|Malawians ; Lilongwe ; ;
MYS: Malaysian|Malaysians ; Kuala Lumpur ; ;
MLI: Malian|Malians ; Bamako ; ;
MLT: Maltese ; Valletta ; ;
MRT: Mauritanian|Mauritanians ; Nouakchott ; ;
MEX: Mexican|Mexicans ; Mexico City ; ;
MDA: Moldovan|Moldovans ; Chisinau|Chișinău ; ;
MNG: Mongolian|Mongolians ; Ulaanbaatar ; ;
MNE: Montenegrin|Montenegrins ; Podgorica ; ;
MAR: Moroccan|Moroccans ; Rabat ; ;
MOZ: Mozambican|Mozambicans ; Maputo ; ;
MMR: Myanmar|Burmese ; Naypyidaw ; Burma ;
NAM: Namibian|Namibians ; Windhoek ; ;
NPL: Nepali|Nepalese ; Kathmandu ; ;
NLD: Dutch ; Amsterdam|The Hague ; Holland ;
NZL: New Zealander|New Zealanders|Kiwi ; Wellington ; ;
NIC: Nicaraguan|Nicaraguans ; Managua ; ;
NER: Nigerien|Nigeriens ; Niamey ; ;
NGA: Nigerian|Nigerians ; Abuja ; ;
MKD: Macedonian|North Macedonian ; Skopje ; Macedonia ;
NOR: Norwegian|Norwegians ; Oslo ; ;
OMN: Omani|Omanis ; Muscat ; ;
PAK: Pakistani|Pakistanis ; Islamabad ; ;
PSE: Palestinian|Palestinians ; Ramallah ; Palestine|Palestinian Authority ;
PAN: Panamanian|Panamanians ; Panama City ; ;
PRY: Paraguayan|Paraguayans ; Asuncion|Asunción ; ;
PER: Peruvian|Peruvians ; Lima ; ;
PHL: Filipino|Filipinos|Philippine ; Manila ; ;
POL: Polish|Pole|Poles ; Warsaw ; ;
PRT: Portuguese ; Lisbon ; ;
QAT: Qatari|Qataris ; Doha ; ;
ROU: Romanian|Romanians ; Bucharest ; ;
RUS: Russian|Russians ; Moscow ; Russia|Russian Federation ; Kremlin
RWA: Rwandan|Rwandans ; Kigali ; ;
SAU: Saudi|Saudis ; Riyadh ; Saudi Arabia|KSA ;
SEN: Senegalese ; Dakar ; ;
SRB: Serbian|Serbians|Serb|Serbs ; Belgrade ; ;
SGP: Singaporean|Singaporeans ; ; ;
SVK: Slovak|Slovakian|Slovaks ; Bratislava ; ;
SVN: Slovenian|Slovene|Slovenians|Slovenes ; Ljubljana ; ;
SOM: Somali|Somalis ; Mogadishu ; ;
ZAF: South African|South Africans ; Pretoria ; ;
SSD: South Sudanese ; Juba ; ;
ESP: Spanish|Spaniard|Spaniards ; Madrid ; ; Moncloa
LKA: Sri Lankan|Sri Lankans ; Colombo ; ;
SDN: Sudanese ; Khartoum ; ;
SWE: Swedish|Swede|Swedes ; Stockholm ; ;
CHE: Swiss ; Bern ; ;
SYR: Syrian|Syrians ; Damascus ; ;
TWN: Taiwanese ; Taipei ; ;
TJK: Tajik|Tajikistani ; Dushanbe ; ;
TZA: Tanzanian|Tanzanians ; Dodoma ; ;
THA: Thai ; Bangkok ; ;
TUN: Tunisian|Tunisians ; Tunis ; ;
TUR: Turkish|Turk|Turks ; Ankara ; Turkey|Türkiye|Turkiye|Republic of Türkiye ;
TKM: Turkmen ; Ashgabat ; ;
UGA: Ugandan|Ugandans ; Kampala ; ;
UKR: Ukrainian|Ukrainians ; Kyiv|Kiev ; ; Bankova
ARE: Emirati|Emiratis ; Abu Dhabi ; UAE|U.A.E.|Emirates|United Arab Emirates ;
GBR: British|Briton|Britons|Brit|Brits ; London ; UK|U.K.|Britain|Great Britain| \
United Kingdom ; \
Downing Street|Whitehall|Number 10|No 10|No. 10|Westminster
USA: American|Americans ; Washington|Washington, D.C.|Washington DC ; \
US|U.S.|USA|U.S.A.|United States|United States of America|America ; White House|Pentagon
URY: Uruguayan|Uruguayans ; Montevideo ; ;
UZB: Uzbek|Uzbeks ; Tashkent ; ;
VEN: Venezuelan|Venezuelans ; Caracas ; ; Miraflores Palace
VNM: Vietnamese ; Hanoi ; Vietnam ;
YEM: Yemeni|Yemenis ; Sanaa|Sana'a ; ;
ZMB: Zambian|Zambians ; Lusaka ; ;
ZWE: Zimbabwean|Zimbabweans ; Harare ; ;
VAT: ; ; Vatican|Holy See|Vatican City ;
XKX: Kosovar|Kosovan ; Pristina ; Kosovo ;
"""
# Country names (or their capitals) that also name other things: matched with guards, see
# monitor.actors.
# Names pycountry spells in reference form; and aliases another country owns in news usage.
NAMES = {
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "RUS": "Russia",
    "VAT": "Holy See",
    "PSE": "Palestine",
}
NOT_ALIASES = {"COG": ["Congo"]}
GUARDED = {
    "GEO": ["Georgia"],
    "JOR": ["Jordan"],
    "TCD": ["Chad"],
    "TUR": ["Turkey"],
    "USA": ["America", "Washington"],
    "NER": ["Niger"],
    "GRC": ["Athens"],
    "CHL": ["Santiago"],
}
WIKIDATA = {
    "GBR": "Q145",
    "USA": "Q30",
    "FRA": "Q142",
    "DEU": "Q183",
    "ITA": "Q38",
    "RUS": "Q159",
    "UKR": "Q212",
    "ESP": "Q29",
    "CHN": "Q148",
    "JPN": "Q17",
    "IND": "Q668",
    "CAN": "Q16",
    "BRA": "Q155",
    "POL": "Q36",
    "TUR": "Q43",
    "AUS": "Q408",
    "MEX": "Q96",
    "NLD": "Q55",
    "BEL": "Q31",
    "SWE": "Q34",
    "NOR": "Q20",
    "DNK": "Q35",
    "FIN": "Q33",
    "AUT": "Q40",
    "CHE": "Q39",
    "GRC": "Q41",
    "PRT": "Q45",
    "IRL": "Q27",
    "HUN": "Q28",
    "CZE": "Q213",
    "ROU": "Q218",
    "BGR": "Q219",
    "ISR": "Q801",
    "IRN": "Q794",
    "SAU": "Q851",
    "EGY": "Q79",
    "ZAF": "Q258",
    "ARG": "Q414",
    "KOR": "Q884",
    "PRK": "Q423",
    "IDN": "Q252",
    "BLR": "Q184",
    "EU": "Q458",
    "NATO": "Q7184",
    "UN": "Q1065",
    "vladimir-putin": "Q7747",
    "donald-trump": "Q22686",
    "emmanuel-macron": "Q3052772",
    "joe-biden": "Q6279",
    "xi-jinping": "Q15031",
    "narendra-modi": "Q1058",
}
# Phrases that contain an alias but name no actor: consumed by the matcher and dropped.
BLOCKERS = [
    "Latin America",
    "Latin American",
    "South America",
    "South American",
    "North America",
    "North American",
    "Central America",
    "Central American",
    "Americas",
    "Bank of America",
    "Voice of America",
    "Captain America",
    "Radio Free Europe",
    "George Washington",
    "Washington Post",
    "Washington state",
    "Washington State",
    "University of Washington",
    "New Mexico",
    "New Jersey",
    "New Guinea",
    "New South Wales",
    "New England",
    "New York",
    "Paris Agreement",
    "Paris agreement",
    "Paris climate",
    "Paris Saint-Germain",
    "Rome Statute",
    "Treaty of Rome",
    "Berlin Wall",
    "Moscow Mule",
    "Athens, Georgia",
    "Georgia Tech",
    "Michael Jordan",
    "River Jordan",
    "Jordan River",
    "Lake Chad",
    "Niger Delta",
    "Niger River",
    "Turkey Point",
    "Indian Ocean",
    "Native American",
    "Native Americans",
    "African American",
    "African Americans",
    "Asian American",
    "Indian Americans",
    "Russian roulette",
    "French fries",
    "Turkish delight",
    "Chinese New Year",
    "Dutch auction",
    "Irish Sea",
    "Panama Canal",
    "Suez Canal",
    "Gulf of Mexico",
    "Gulf of America",
    "British Columbia",
    "British Museum",
    "British Airways",
    "British Council",
    "British Virgin Islands",
    "US Open",
    "U.S. Open",
    "America First",
    "Congo River",
    "Greek yogurt",
]
ORGANISATIONS = [
    {
        "id": "EU",
        "type": "organisation",
        "name": "European Union",
        "aliases": ["EU", "E.U.", "European Union"],
        "metonyms": ["Brussels"],
        "wikidata": WIKIDATA["EU"],
    },
    {
        "id": "EC",
        "type": "organisation",
        "name": "European Commission",
        "aliases": ["European Commission"],
        "short_names": ["Commission"],
        "affiliation": "EU",
    },
    {
        "id": "EUCO",
        "type": "organisation",
        "name": "European Council",
        "aliases": ["European Council"],
        "affiliation": "EU",
    },
    {
        "id": "EP",
        "type": "organisation",
        "name": "European Parliament",
        "aliases": ["European Parliament", "MEPs"],
        "affiliation": "EU",
    },
    {
        "id": "NATO",
        "type": "organisation",
        "name": "North Atlantic Treaty Organization",
        "aliases": [
            "NATO",
            "Nato",
            "North Atlantic Treaty Organization",
            "North Atlantic Treaty Organisation",
            "North Atlantic Alliance",
            "Atlantic alliance",
            "Atlantic Alliance",
        ],
        "wikidata": WIKIDATA["NATO"],
    },
    {
        "id": "UN",
        "type": "organisation",
        "name": "United Nations",
        "aliases": [
            "UN",
            "U.N.",
            "United Nations",
            "UN Security Council",
            "United Nations Security Council",
            "U.N. Security Council",
            "UN General Assembly",
            "United Nations General Assembly",
        ],
        "wikidata": WIKIDATA["UN"],
    },
    {
        "id": "G7",
        "type": "organisation",
        "name": "Group of Seven",
        "aliases": ["G7", "G-7", "Group of Seven"],
    },
    {
        "id": "G20",
        "type": "organisation",
        "name": "Group of Twenty",
        "aliases": ["G20", "G-20", "Group of Twenty"],
    },
    {
        "id": "OSCE",
        "type": "organisation",
        "name": "Organization for Security and Co-operation in Europe",
        "aliases": [
            "OSCE",
            "Organization for Security and Co-operation in Europe",
            "Organization for Security and Cooperation in Europe",
        ],
    },
    {
        "id": "AU",
        "type": "organisation",
        "name": "African Union",
        "aliases": ["African Union", "AU"],
    },
    {
        "id": "IMF",
        "type": "organisation",
        "name": "International Monetary Fund",
        "aliases": ["IMF", "International Monetary Fund"],
    },
    {"id": "WB", "type": "organisation", "name": "World Bank", "aliases": ["World Bank"]},
    {
        "id": "WHO",
        "type": "organisation",
        "name": "World Health Organization",
        "aliases": ["WHO", "World Health Organization", "World Health Organisation"],
    },
    {
        "id": "WTO",
        "type": "organisation",
        "name": "World Trade Organization",
        "aliases": ["WTO", "World Trade Organization", "World Trade Organisation"],
    },
    {
        "id": "ASEAN",
        "type": "organisation",
        "name": "Association of Southeast Asian Nations",
        "aliases": ["ASEAN", "Asean", "Association of Southeast Asian Nations"],
    },
    {
        "id": "OPEC",
        "type": "organisation",
        "name": "Organization of the Petroleum Exporting Countries",
        "aliases": ["OPEC", "Opec", "OPEC+", "Organization of the Petroleum Exporting Countries"],
    },
    {"id": "BRICS", "type": "organisation", "name": "BRICS", "aliases": ["BRICS", "Brics"]},
    {
        "id": "SCO",
        "type": "organisation",
        "name": "Shanghai Cooperation Organisation",
        "aliases": ["Shanghai Cooperation Organisation", "Shanghai Cooperation Organization"],
    },
    {
        "id": "CSTO",
        "type": "organisation",
        "name": "Collective Security Treaty Organization",
        "aliases": ["CSTO", "Collective Security Treaty Organization"],
    },
    {
        "id": "GCC",
        "type": "organisation",
        "name": "Gulf Cooperation Council",
        "aliases": ["GCC", "Gulf Cooperation Council"],
    },
    {
        "id": "ARAB-LEAGUE",
        "type": "organisation",
        "name": "Arab League",
        "aliases": ["Arab League", "League of Arab States"],
    },
    {
        "id": "COE",
        "type": "organisation",
        "name": "Council of Europe",
        "aliases": ["Council of Europe"],
    },
    {
        "id": "IAEA",
        "type": "organisation",
        "name": "International Atomic Energy Agency",
        "aliases": ["IAEA", "International Atomic Energy Agency"],
    },
    {
        "id": "ICC",
        "type": "organisation",
        "name": "International Criminal Court",
        "aliases": ["International Criminal Court", "ICC"],
    },
    {
        "id": "ECB",
        "type": "organisation",
        "name": "European Central Bank",
        "aliases": ["European Central Bank", "ECB"],
        "affiliation": "EU",
    },
]
# People whose surname alone is unambiguous in news copy ("Putin", "Zelenskiy"): their short
# names count anywhere, not only after a full alias or a title.
UNAMBIGUOUS_SHORT = frozenset(
    re.findall(
        r"\S+",
        """
    vladimir-putin dmitry-peskov sergey-lavrov maria-zakharova yuri-ushakov dmitry-medvedev
    volodymyr-zelensky andrii-sybiha yulia-svyrydenko denys-shmyhal rustem-umerov andriy-yermak
    donald-trump marco-rubio pete-hegseth steve-witkoff joe-biden antony-blinken keir-starmer
    rishi-sunak emmanuel-macron sebastien-lecornu friedrich-merz olaf-scholz boris-pistorius
    johann-wadephul giorgia-meloni antonio-tajani guido-crosetto ursula-von-der-leyen kaja-kallas
    mark-rutte jens-stoltenberg antonio-guterres xi-jinping narendra-modi justin-trudeau
    recep-tayyip-erdogan viktor-orban peter-szijjarto robert-fico andrej-babis donald-tusk
    radoslaw-sikorski alexander-stubb kyriakos-mitsotakis ulf-kristersson alexander-lukashenko
    benjamin-netanyahu ali-khamenei karol-nawrocki sanae-takaichi shigeru-ishiba fumio-kishida
    """,
    )
)
# name | aliases (comma separated) | short names | roles: title@affiliation@since@until; ...
PEOPLE_TABLE = """
Vladimir Putin | Vladimir Vladimirovich Putin | Putin | President@RUS@2012-05-07
Dmitry Peskov | Dmitri Peskov | Peskov | Kremlin Spokesman@RUS@2012-05-22
Sergey Lavrov | Sergei Lavrov | Lavrov | Foreign Minister@RUS@2004-03-09
Mikhail Mishustin | | Mishustin | Prime Minister@RUS@2020-01-16
Andrei Belousov | Andrey Belousov | Belousov | Defence Minister@RUS@2024-05-14
Maria Zakharova | | Zakharova | Foreign Ministry Spokeswoman@RUS@2015-08-10
Yuri Ushakov | Yury Ushakov | Ushakov | Presidential Aide@RUS@2012-05-21
Kirill Dmitriev | | Dmitriev | Special Envoy@RUS@2025-02-23
Dmitry Medvedev | Dmitri Medvedev | Medvedev | \
Deputy Chairman of the Security Council@RUS@2020-01-16
Volodymyr Zelensky | Volodymyr Zelenskyy,Volodymyr Zelenskiy,Vladimir Zelensky | Zelensky, \
Zelenskyy,Zelenskiy | President@UKR@2019-05-20
Andrii Sybiha | Andriy Sybiha | Sybiha | Foreign Minister@UKR@2024-09-05
Yulia Svyrydenko | | Svyrydenko | Prime Minister@UKR@2025-07-17
Denys Shmyhal | | Shmyhal | Prime Minister@UKR@2020-03-04@2025-07-17; \
Defence Minister@UKR@2025-07-17
Rustem Umerov | | Umerov | Defence Minister@UKR@2023-09-06@2025-07-17; \
Secretary of the National Security and Defence Council@UKR@2025-07-17
Andriy Yermak | Andrii Yermak | Yermak | \
Head of the Presidential Office@UKR@2020-02-11@2025-11-28
Dmytro Kuleba | | Kuleba | Foreign Minister@UKR@2020-03-04@2024-09-05
Donald Trump | Donald J. Trump | Trump | President@USA@2025-01-20; \
President@USA@2017-01-20@2021-01-20
JD Vance | J.D. Vance,James David Vance | Vance | Vice President@USA@2025-01-20
Marco Rubio | | Rubio | Secretary of State@USA@2025-01-21
Pete Hegseth | | Hegseth | Defense Secretary@USA@2025-01-25
Steve Witkoff | Steven Witkoff | Witkoff | Special Envoy@USA@2025-01-20
Keith Kellogg | | Kellogg | Special Envoy for Ukraine and Russia@USA@2025-01-20
Joe Biden | Joseph Biden,Joseph R. Biden | Biden | President@USA@2021-01-20@2025-01-20
Antony Blinken | | Blinken | Secretary of State@USA@2021-01-26@2025-01-20
Scott Bessent | | Bessent | Treasury Secretary@USA@2025-01-28
Keir Starmer | Sir Keir Starmer | Starmer | Prime Minister@GBR@2024-07-05
Yvette Cooper | | Cooper | Home Secretary@GBR@2024-07-05@2025-09-05; \
Foreign Secretary@GBR@2025-09-05
John Healey | | Healey | Defence Secretary@GBR@2024-07-05
David Lammy | | Lammy | Foreign Secretary@GBR@2024-07-05@2025-09-05; \
Deputy Prime Minister@GBR@2025-09-05
Rachel Reeves | | Reeves | Chancellor of the Exchequer@GBR@2024-07-05
Rishi Sunak | | Sunak | Prime Minister@GBR@2022-10-25@2024-07-05
King Charles III | King Charles,Charles III | | King@GBR@2022-09-08
Theresa May | | May | Prime Minister@GBR@2016-07-13@2019-07-24
Boris Johnson | | Johnson | Prime Minister@GBR@2019-07-24@2022-09-06
Emmanuel Macron | | Macron | President@FRA@2017-05-14
Sébastien Lecornu | | Lecornu | Defence Minister@FRA@2022-05-20@2025-09-09; \
Prime Minister@FRA@2025-09-09
François Bayrou | | Bayrou | Prime Minister@FRA@2024-12-13@2025-09-09
Jean-Noël Barrot | | Barrot | Foreign Minister@FRA@2024-09-21
Catherine Vautrin | | Vautrin | Defence Minister@FRA@2025-10-12
Friedrich Merz | | Merz | Chancellor@DEU@2025-05-06
Olaf Scholz | | Scholz | Chancellor@DEU@2021-12-08@2025-05-06
Frank-Walter Steinmeier | | Steinmeier | President@DEU@2017-03-19
Johann Wadephul | | Wadephul | Foreign Minister@DEU@2025-05-06
Boris Pistorius | | Pistorius | Defence Minister@DEU@2023-01-19
Annalena Baerbock | | Baerbock | Foreign Minister@DEU@2021-12-08@2025-05-06; \
President of the UN General Assembly@UN@2025-09-09
Giorgia Meloni | | Meloni | Prime Minister@ITA@2022-10-22
Sergio Mattarella | | Mattarella | President@ITA@2015-02-03
Antonio Tajani | | Tajani | Foreign Minister@ITA@2022-10-22
Guido Crosetto | | Crosetto | Defence Minister@ITA@2022-10-22
Pedro Sánchez | | Sánchez | Prime Minister@ESP@2018-06-02
King Felipe VI | Felipe VI | | King@ESP@2014-06-19
José Manuel Albares | | Albares | Foreign Minister@ESP@2021-07-12
Margarita Robles | | Robles | Defence Minister@ESP@2018-06-07
Ursula von der Leyen | | von der Leyen,Von der Leyen | \
President of the European Commission@EU@2019-12-01
António Costa | | Costa | President of the European Council@EU@2024-12-01
Kaja Kallas | | Kallas | High Representative for Foreign Affairs@EU@2024-12-01; \
Prime Minister@EST@2021-01-26@2024-07-23
Roberta Metsola | | Metsola | President of the European Parliament@EU@2022-01-18
Josep Borrell | | Borrell | High Representative for Foreign Affairs@EU@2019-12-01@2024-12-01
Mark Rutte | | Rutte | Secretary General@NATO@2024-10-01; \
Prime Minister@NLD@2010-10-14@2024-07-02
Jens Stoltenberg | | Stoltenberg | Secretary General@NATO@2014-10-01@2024-10-01; \
Finance Minister@NOR@2025-02-04
António Guterres | | Guterres | Secretary-General@UN@2017-01-01
Mahmoud Ali Youssouf | | Youssouf | Chairperson of the African Union Commission@AU@2025-02-15
Kristalina Georgieva | | Georgieva | Managing Director@IMF@2019-10-01
Tedros Adhanom Ghebreyesus | Tedros Adhanom | Tedros | Director-General@WHO@2017-07-01
Xi Jinping | | Xi | President@CHN@2013-03-14
Li Qiang | | | Premier@CHN@2023-03-11
Wang Yi | | | Foreign Minister@CHN@2023-07-25
Dong Jun | | | Defence Minister@CHN@2023-12-29
Narendra Modi | | Modi | Prime Minister@IND@2014-05-26
Droupadi Murmu | | Murmu | President@IND@2022-07-25
Subrahmanyam Jaishankar | S. Jaishankar | Jaishankar | External Affairs Minister@IND@2019-05-30
Rajnath Singh | | | Defence Minister@IND@2019-05-30
Javier Milei | | Milei | President@ARG@2023-12-10
Anthony Albanese | | Albanese | Prime Minister@AUS@2022-05-23
Penny Wong | | | Foreign Minister@AUS@2022-05-23
Richard Marles | | Marles | Defence Minister@AUS@2022-05-23
Luiz Inácio Lula da Silva | Lula da Silva,Luiz Inacio Lula da Silva,Lula | | \
President@BRA@2023-01-01
Mauro Vieira | | | Foreign Minister@BRA@2023-01-01
Mark Carney | | Carney | Prime Minister@CAN@2025-03-14
Justin Trudeau | | Trudeau | Prime Minister@CAN@2015-11-04@2025-03-14
Anita Anand | | Anand | Foreign Minister@CAN@2025-05-13
Mélanie Joly | | Joly | Foreign Minister@CAN@2021-10-26@2025-05-13
Prabowo Subianto | | Prabowo | President@IDN@2024-10-20
Joko Widodo | Jokowi | Widodo | President@IDN@2014-10-20@2024-10-20
Sanae Takaichi | | Takaichi | Prime Minister@JPN@2025-10-21
Shigeru Ishiba | | Ishiba | Prime Minister@JPN@2024-10-01@2025-10-21
Fumio Kishida | | Kishida | Prime Minister@JPN@2021-10-04@2024-10-01
Toshimitsu Motegi | | Motegi | Foreign Minister@JPN@2025-10-21
Emperor Naruhito | Naruhito | | Emperor@JPN@2019-05-01
Claudia Sheinbaum | | Sheinbaum | President@MEX@2024-10-01
King Salman | Salman bin Abdulaziz,King Salman bin Abdulaziz | | King@SAU@2015-01-23
Mohammed bin Salman | Crown Prince Mohammed bin Salman,MBS | | Prime Minister@SAU@2022-09-27
Faisal bin Farhan | Prince Faisal bin Farhan | | Foreign Minister@SAU@2019-10-23
Cyril Ramaphosa | | Ramaphosa | President@ZAF@2018-02-15
Lee Jae-myung | | | President@KOR@2025-06-04
Kim Min-seok | | | Prime Minister@KOR@2025-07-03
Yoon Suk Yeol | Yoon Suk-yeol | Yoon | President@KOR@2022-05-10@2025-04-04
Recep Tayyip Erdoğan | Recep Tayyip Erdogan,Tayyip Erdogan,Tayyip Erdoğan | Erdoğan,Erdogan | \
President@TUR@2014-08-28
Hakan Fidan | | Fidan | Foreign Minister@TUR@2023-06-04
Alexander Van der Bellen | | Van der Bellen | President@AUT@2017-01-26
Christian Stocker | | Stocker | Chancellor@AUT@2025-03-03
Beate Meinl-Reisinger | | Meinl-Reisinger | Foreign Minister@AUT@2025-03-03
King Philippe | | | King@BEL@2013-07-21
Bart De Wever | | De Wever | Prime Minister@BEL@2025-02-03
Maxime Prévot | | Prévot | Foreign Minister@BEL@2025-02-03
Rumen Radev | | Radev | President@BGR@2017-01-22
Rosen Zhelyazkov | | Zhelyazkov | Prime Minister@BGR@2025-01-16
Zoran Milanović | | Milanović,Milanovic | President@HRV@2020-02-19
Andrej Plenković | | Plenković,Plenkovic | Prime Minister@HRV@2016-10-19
Nikos Christodoulides | | Christodoulides | President@CYP@2023-02-28
Petr Pavel | | Pavel | President@CZE@2023-03-09
Andrej Babiš | | Babiš,Babis | Prime Minister@CZE@2025-12-09
Petr Fiala | | Fiala | Prime Minister@CZE@2021-11-28@2025-12-09
King Frederik X | King Frederik | | King@DNK@2024-01-14
Mette Frederiksen | | Frederiksen | Prime Minister@DNK@2019-06-27
Lars Løkke Rasmussen | Lars Lokke Rasmussen | Løkke Rasmussen,Rasmussen | \
Foreign Minister@DNK@2022-12-15
Alar Karis | | Karis | President@EST@2021-10-11
Kristen Michal | | Michal | Prime Minister@EST@2024-07-23
Alexander Stubb | | Stubb | President@FIN@2024-03-01
Petteri Orpo | | Orpo | Prime Minister@FIN@2023-06-20
Elina Valtonen | | Valtonen | Foreign Minister@FIN@2023-06-20
Konstantinos Tasoulas | | Tasoulas | President@GRC@2025-03-13
Kyriakos Mitsotakis | | Mitsotakis | Prime Minister@GRC@2019-07-08
Tamás Sulyok | | Sulyok | President@HUN@2024-03-05
Viktor Orbán | Viktor Orban | Orbán,Orban | Prime Minister@HUN@2010-05-29
Péter Szijjártó | Peter Szijjarto | Szijjártó,Szijjarto | Foreign Minister@HUN@2014-09-23
Catherine Connolly | | Connolly | President@IRL@2025-11-11
Michael D. Higgins | Michael D Higgins | Higgins | President@IRL@2011-11-11@2025-11-11
Micheál Martin | Micheal Martin | | Taoiseach@IRL@2025-01-23
Edgars Rinkēvičs | Edgars Rinkevics | Rinkēvičs,Rinkevics | President@LVA@2023-07-08
Evika Siliņa | Evika Silina | Siliņa,Silina | Prime Minister@LVA@2023-09-15
Gitanas Nausėda | Gitanas Nauseda | Nausėda,Nauseda | President@LTU@2019-07-12
Inga Ruginienė | Inga Ruginiene | Ruginienė,Ruginiene | Prime Minister@LTU@2025-09-25
Grand Duke Guillaume | | | Grand Duke@LUX@2025-10-03
Luc Frieden | | Frieden | Prime Minister@LUX@2023-11-17
Myriam Spiteri Debono | | Spiteri Debono | President@MLT@2024-04-04
Robert Abela | | Abela | Prime Minister@MLT@2020-01-13
King Willem-Alexander | Willem-Alexander | | King@NLD@2013-04-30
Dick Schoof | | Schoof | Prime Minister@NLD@2024-07-02
Rob Jetten | | Jetten | Leader of D66@NLD@2023-08-14@@false
Karol Nawrocki | | Nawrocki | President@POL@2025-08-06
Andrzej Duda | | Duda | President@POL@2015-08-06@2025-08-06
Donald Tusk | | Tusk | Prime Minister@POL@2023-12-13
Radosław Sikorski | Radoslaw Sikorski | Sikorski | Foreign Minister@POL@2023-12-13
Władysław Kosiniak-Kamysz | Wladyslaw Kosiniak-Kamysz | Kosiniak-Kamysz | \
Defence Minister@POL@2023-12-13
Marcelo Rebelo de Sousa | | Rebelo de Sousa | President@PRT@2016-03-09
Luís Montenegro | Luis Montenegro | Montenegro | Prime Minister@PRT@2024-04-02
Nicușor Dan | Nicusor Dan | | President@ROU@2025-05-26
Ilie Bolojan | | Bolojan | Prime Minister@ROU@2025-06-23
Peter Pellegrini | | Pellegrini | President@SVK@2024-06-15
Robert Fico | | Fico | Prime Minister@SVK@2023-10-25
Nataša Pirc Musar | Natasa Pirc Musar | Pirc Musar | President@SVN@2022-12-23
Robert Golob | | Golob | Prime Minister@SVN@2022-06-01
King Carl XVI Gustaf | Carl XVI Gustaf | | King@SWE@1973-09-15
Ulf Kristersson | | Kristersson | Prime Minister@SWE@2022-10-18
Maria Malmer Stenergard | | Malmer Stenergard | Foreign Minister@SWE@2024-09-10
Jonas Gahr Støre | Jonas Gahr Store | Støre | Prime Minister@NOR@2021-10-14
Alexander Lukashenko | Aleksandr Lukashenko,Alyaksandr Lukashenka | Lukashenko | \
President@BLR@1994-07-20
Benjamin Netanyahu | | Netanyahu | Prime Minister@ISR@2022-12-29
Isaac Herzog | | Herzog | President@ISR@2021-07-07
Ali Khamenei | Ayatollah Ali Khamenei | Khamenei | Supreme Leader@IRN@1989-06-04
Masoud Pezeshkian | | Pezeshkian | President@IRN@2024-07-28
Maia Sandu | | Sandu | President@MDA@2020-12-24
Kassym-Jomart Tokayev | | Tokayev | President@KAZ@2019-03-20
Abdel Fattah el-Sisi | Abdel Fattah al-Sisi | Sisi,el-Sisi | President@EGY@2014-06-08
Irakli Kobakhidze | | Kobakhidze | Prime Minister@GEO@2024-02-08
"""
HONORIFICS = ("Sir ", "King ", "Emperor ", "Grand Duke ", "Crown Prince ", "Prince ", "Ayatollah ")


# Letters that do not decompose into a base letter and an accent.
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


def fold(text: str) -> str:
    """ASCII folding: accents dropped ("Élysée" -> "Elysee")."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNDECOMPOSED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def split_list(field: str, sep: str = "|") -> list[str]:
    """Non-empty stripped items of a separated field."""
    return [item.strip() for item in field.split(sep) if item.strip()]


def slug(name: str) -> str:
    """Lower-case hyphenated id of a person's name."""
    for honorific in HONORIFICS:
        if name.startswith(honorific) and honorific not in ("King ", "Emperor ", "Grand Duke "):
            name = name[len(honorific) :]
    ascii_name = fold(name).lower().replace(".", "")
    return "-".join(part for part in ascii_name.replace("'", " ").replace("-", " ").split())


def country_entries() -> list[dict]:
    """One registry entry per ISO 3166-1 country."""
    table = {}
    for line in COUNTRY_TABLE.replace("\\\n", " ").strip().splitlines():
        code, rest = line.split(":", 1)
        parts = (rest.split(";") + ["", "", "", ""])[:4]
        table[code.strip()] = [split_list(part) for part in parts]
    entries = []
    countries = list(pycountry.countries)
    countries.append(type("Kosovo", (), {"alpha_3": "XKX", "alpha_2": "XK", "name": "Kosovo"})())
    for country in countries:
        code = country.alpha_3
        demonyms, capitals, extra, metonyms = table.get(code, [[], [], [], []])
        name = NAMES.get(code) or getattr(country, "common_name", None) or country.name
        aliases = [
            alias
            for alias in (
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
                *extra,
            )
            if alias and "," not in alias and "(" not in alias
        ]
        aliases = [alias[4:] if alias.startswith("the ") else alias for alias in aliases]
        aliases = [alias for alias in aliases if alias not in NOT_ALIASES.get(code, [])]
        entry = {
            "id": code,
            "type": "country",
            "name": name,
            "iso2": country.alpha_2,
            "aliases": dedupe(aliases),
            "demonyms": dedupe(demonyms),
            "metonyms": dedupe(capitals + metonyms),
        }
        guarded = GUARDED.get(code)
        if guarded:
            entry["guarded_aliases"] = guarded
        if code in WIKIDATA:
            entry["wikidata"] = WIKIDATA[code]
        entries.append(entry)
    return entries


def person_entries() -> list[dict]:
    """Registry entries for the people of PEOPLE_TABLE."""
    entries = []
    for line in PEOPLE_TABLE.replace("\\\n", " ").strip().splitlines():
        name, aliases, short, roles = (part.strip() for part in line.split("|"))
        entry: dict = {
            "id": slug(name),
            "type": "person",
            "name": name,
            "aliases": dedupe([name, *split_list(aliases, ",")]),
        }
        if split_list(short, ","):
            entry["short_names"] = split_list(short, ",")
            if entry["id"] in UNAMBIGUOUS_SHORT:
                entry["unambiguous_short_names"] = True
        entry["roles"] = [parse_role(role) for role in split_list(roles, ";")]
        current = [role for role in entry["roles"] if "until" not in role] or entry["roles"]
        current = current[-1]
        entry["role"], entry["affiliation"] = current["title"], current["affiliation"]
        if entry["id"] in WIKIDATA:
            entry["wikidata"] = WIKIDATA[entry["id"]]
        entries.append(entry)
    return entries


def parse_role(text: str) -> dict:
    """A role from "title@affiliation@since@until@speaks_for"."""
    title, affiliation, since, until, speaks = (text.split("@") + ["", "", "", "", ""])[:5]
    role: dict = {"title": title.strip(), "affiliation": affiliation.strip()}
    if since.strip():
        role["since"] = since.strip()
    if until.strip():
        role["until"] = until.strip()
    if speaks.strip() == "false":
        role["speaks_for"] = False
    return role


def dedupe(items: list[str]) -> list[str]:
    """Items in order, without repeats."""
    return list(dict.fromkeys(items))


def main() -> None:
    """Write the registry file."""
    actors = country_entries() + ORGANISATIONS + person_entries()
    ids = [actor["id"] for actor in actors]
    duplicates = {actor_id for actor_id in ids if ids.count(actor_id) > 1}
    if duplicates:
        raise SystemExit(f"duplicate actor ids: {sorted(duplicates)}")
    document = {"version": 1, "blockers": BLOCKERS, "actors": actors}
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    logger.info("wrote %d actors to %s", len(actors), OUTPUT)
    print(f"wrote {len(actors)} actors to {OUTPUT}")


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    main()
