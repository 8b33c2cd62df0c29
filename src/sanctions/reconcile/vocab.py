"""The word lists the claim extractor reads announcements with. Country names and demonyms are not here: they
come from `rigour.territories` (names, official names, demonyms such as "North Korean", "Russian"); names of
listed parties come from the lists themselves (the screening index over the candidate changes).

MOTIVES is the one table of sanctions programs and motives: the words a press release uses for a motive, and
the program tags (prefixes of the publishers' own tags, as in `sanctions.programs`) that motive shows up as on
the lists. A motive claim is confirmed when an entry of the change carries one of those tags.
"""

from __future__ import annotations

import re

# -- programs and motives -----------------------------------------------------------------------------------------
# (motive, regex of the words announcements use, program tag prefixes on the lists)
MOTIVES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("weapons of mass destruction / proliferation",
     r"weapons? of mass destruction|\bWMD\b|proliferat\w*|nuclear|chemical weapons?|biological weapons?",
     ("NPWMD", "NONPRO", "DPRK", "IFSR", "NKSPEA", "CAATSA - IRAN", "IRAN")),
    ("ballistic missiles", r"ballistic[- ]missiles?|missile(?:-related)? programs?|missile technolog\w*",
     ("NPWMD", "DPRK", "IFSR", "NKSPEA")),
    ("terrorism", r"terroris[mt]\w*|Hizballah|Hezbollah|ISIS|al-Qa'?ida|Hamas|Houthis?|Ansarallah",
     ("SDGT", "SDT", "FTO", "FSE")),
    ("narcotics trafficking",
     r"narcotics?|drug[- ]traffick\w*|illicit drugs?|fentanyl|cocaine|heroin|methamphetamine|cartels?|Kingpin Act",
     ("SDNTK", "SDNT", "ILLICIT-DRUGS", "TCO")),
    ("transnational organized crime", r"transnational (?:criminal|organized crime)\w*|organized crime",
     ("TCO",)),
    ("human rights abuse / corruption",
     r"human rights|Global Magnitsky|corruption|corrupt\b|torture|extrajudicial|repression",
     ("GLOMAG", "HRIT", "IRAN-HR", "MAGNIT", "NICARAGUA", "BURMA", "BELARUS", "VENEZUELA")),
    ("malicious cyber activity", r"\bcyber\w*|ransomware|hack(?:ing|ers?)|malware|virtual currency mixer",
     ("CYBER",)),
    ("election interference", r"election interference|interfer\w* in (?:the )?\w* elections?", ("ELECTION",)),
    ("Russia's war against Ukraine / Russian harmful activities",
     r"Russia's (?:war|invasion|aggression|harmful)|against Ukraine|Russia-related|Russian Federation's",
     ("RUSSIA", "UKRAINE", "BELARUS", "CAATSA - RUSSIA")),
    ("Iran-related", r"Iran-related|Islamic Revolutionary Guard|IRGC|Iranian (?:regime|oil|petroleum)",
     ("IRAN", "IRGC", "IFSR", "HRIT-IR", "CAATSA - IRAN")),
    ("Syria-related", r"Syria-related|Assad regime", ("SYRIA", "FSE-SY")),
    ("hostage-taking", r"hostage|wrongful detention", ("HOSTAGES",)),
)
MOTIVE_PATTERNS = tuple((name, re.compile(rx, re.I), tags) for name, rx, tags in MOTIVES)

# -- authorities --------------------------------------------------------------------------------------------------
# (key, label, regex, sources whose lists carry that authority's designations)
AUTHORITIES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("treasury", "US Treasury (OFAC)",
     r"Office of Foreign Assets Control|\bOFAC\b|Department of (?:the )?Treasury|Treasury Department|"
     r"(?<!HM )\bTreasury\b", ("us-ofac-sdn", "us-ofac-cons")),
    ("state", "US State Department", r"State Department|Department of State|Secretary of State",
     ("us-ofac-sdn",)),
    ("un", "UN Security Council",
     r"(?:United Nations|U\.?N\.?) Security Council|Security Council|\b1718 Committee|sanctions committee",
     ("un-sc",)),
    ("commerce", "US Commerce Department (BIS)",
     r"Commerce Department|Department of Commerce|Bureau of Industry and Security|\bBIS\b", ("us-bis-dpl",)),
    ("uk", "UK government (HM Treasury / OFSI)",
     r"HM Treasury|\bOFSI\b|Foreign(?:,)? Commonwealth (?:and|&) Development Office|British government|"
     r"UK government|United Kingdom", ("gb-hmt",)),
    ("eu", "European Union", r"European Union|Council of the EU|\bEU\b", ()),
    ("us", "United States", r"United States|\bU\.S\.(?!\s+(?:Department|Treasury))|\bUS\b|Washington",
     ("us-ofac-sdn", "us-ofac-cons", "us-bis-dpl")),
)
AUTHORITY_PATTERNS = tuple((key, label, re.compile(rx), srcs) for key, label, rx, srcs in AUTHORITIES)
# A US authority is more specific than "United States"; the sentence's most specific one is its actor.
GENERIC_AUTHORITIES = {"us"}

# -- designations -------------------------------------------------------------------------------------------------
DESIGNATION_VERB = re.compile(
    r"\b(?:designat(?:e|es|ed|ing)|sanction(?:ed|ing)|(?:impos\w+|levied) sanctions|(?:took|taking|takes) action|"
    r"target(?:s|ed|ing)|blacklist\w*|added (?:\w+ ){0,6}to (?:the|its) (?:SDN|Specially Designated|list))\b",
    re.I,
)

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "another": 1, "single": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "dozen": 12,
    "thirty": 30, "forty": 40, "fifty": 50,
}
ADDITIONAL_WORDS = ("additional", "more", "further", "other", "another")

# Nouns naming what was designated -> entity kind on the lists.
KIND_NOUNS = {
    "person": ("individuals", "individual", "persons", "person", "people", "nationals", "national", "citizens",
               "citizen", "men", "man", "women", "woman", "officials", "official", "executives", "executive",
               "businessmen", "businessman", "leaders", "leader", "members", "member", "facilitators",
               "facilitator", "financiers", "financier", "representatives", "representative"),
    "organization": ("entities", "entity", "companies", "company", "firms", "firm", "businesses", "business",
                     "organizations", "organization", "organisations", "organisation", "groups", "group",
                     "banks", "bank", "front companies", "front company", "networks", "network"),
    "vessel": ("vessels", "vessel", "ships", "ship", "tankers", "tanker"),
    "aircraft": ("aircraft", "airplanes", "airplane", "planes", "plane"),
}
KIND_OF_NOUN = {n: k for k, nouns in KIND_NOUNS.items() for n in nouns}

# Words between a number and its noun that say nothing about nationality or place.
FILLER_WORDS = {
    "additional", "more", "further", "other", "another", "senior", "key", "prominent", "overseas", "related",
    "affiliated", "associated", "linked", "based", "front", "shell", "designated", "new", "foreign", "of", "the",
    "and", "individual", "private", "state-owned", "government", "military", "high-ranking", "top",
}

# Legal forms that make a capitalised span an organisation name even when the list does not know it.
LEGAL_FORMS = (
    r"L\.?L\.?C\.?|Ltd\.?|Limited|Inc\.?|Incorporated|Corp\.?|Corporation|Co\.(?:,? Ltd\.?)?|Company|GmbH|AG|"
    r"S\.A\.(?: de C\.V\.)?|S\.A\.S\.|S\.R\.L\.|SRL|SA|LLP|PLC|JSC|OJSC|PJSC|CJSC|OOO|OAO|ZAO|AO|FZE|FZCO|"
    r"FZ-LLC|DMCC|Pte\.?(?: Ltd\.?)?|Pvt\.?(?: Ltd\.?)?|B\.V\.|N\.V\.|Sdn\.? Bhd\.?|EIRELI|LTDA|Holdings?|"
    r"Trading|Shipping|Group|Bank"
)

# Capitalised words that are never part of a listed party's name in an announcement (roles, institutions,
# calendar words). A span made only of these, of country names, and of particles is not a name.
STOP_NAME_WORDS = {
    "the", "a", "an", "today", "this", "these", "those", "that", "they", "it", "he", "she", "we", "our", "in",
    "on", "at", "as", "and", "or", "but", "for", "of", "by", "with", "from", "under", "also", "however",
    "department", "treasury", "state", "office", "foreign", "assets", "control", "secretary",
    "deputy", "assistant", "director", "spokesperson", "spokesman", "spokeswoman", "president",
    "administration", "minister", "ministry", "government", "council", "security", "united", "nations",
    "states", "resolution", "resolutions", "executive", "order", "act", "regulations", "terrorism", "financial",
    "intelligence", "press", "release", "briefing", "news", "agency", "source", "sources", "said", "program",
    "programs", "federal", "register", "committee", "sanctions", "list", "specially", "designated",
    "nationals", "blocked", "persons", "peninsula", "war", "republic", "democratic", "people's", "peoples",
    "kingdom", "union", "european", "congress", "senate", "house", "white", "attorney", "general", "justice",
    "commerce", "bureau", "industry", "office's", "ofac", "ofac's", "dprk", "wmd", "u.s.", "u.n.",
    "un", "us", "eu", "uk", "north", "south", "east", "west", "central", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday",
    "thursday", "friday", "saturday", "sunday", "all", "any", "each", "every", "both", "its", "their", "his",
    "her", "if", "when", "while", "because", "according", "additionally", "moreover", "furthermore",
    "consequently", "result", "pursuant", "eo", "e.o.", "identified", "included", "including",
}

# Words right before a person's name that make it a speaker or official, not a designated party.
ROLE_WORDS = re.compile(
    r"(?:Secretary|Director|Spokesperson|spokesperson|spokesman|spokeswoman|President|Minister|Ambassador|"
    r"Administrator|Attorney General|Senator|Chairman|Commissioner|Intelligence|Representative|Envoy)"
    r"(?:\s+of\s+[A-Z]\w+)?\s*,?\s*$"
)
SPEAKER_AFTER = re.compile(r"^\s*(?:,\s*)?(?:said|says|told|added|noted|stated|was quoted|is quoted|remarked)\b")
