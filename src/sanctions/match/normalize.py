"""Name normalisation: one function, `prepare()`, turns a raw name into comparable tokens.

Steps, in order:
1. Unicode clean-up: NFKC, invisible characters (format / control / variation selectors) dropped, every space
   kind made a plain space, and — in a name that also has Latin letters — Cyrillic / Greek look-alikes folded to
   Latin with the Unicode TR39 confusables skeleton (ICU SpoofChecker), so ``Ѕаddаm`` reads ``Saddam``.
2. Script-aware transliteration word by word: Cyrillic / Greek / Armenian / Georgian via rigour's tables, Hangul
   via `korean` (Revised Romanisation, syllables), Han via ICU ``Han-Latin`` (pinyin), Arabic / Persian /
   Urdu via anyascii plus a consonant skeleton read directly off the Arabic letters (short vowels are not
   written in Arabic script, so the skeleton is what can be compared with a Latin spelling).
3. Lower-case ASCII; apostrophes dropped inside words (``CH'OE`` → ``choe``), other punctuation splits words.
4. Legal forms (rigour org-types database: ISO 20275 + OCCRP list, all languages) are taken out of the tokens
   into `forms`, as their generic code (``ООО`` / ``OOO`` / ``LLC`` → ``llc``), so two companies never look alike
   because they share a legal form. Honorifics (rigour's person prefixes plus the religious / military titles
   common in sanctions lists) are dropped from person names.
5. Per token keys for fuzzy lookup: metaphone, a consonant skeleton (transliteration-invariant), a Korean
   romanisation fold (`korean.fold`), and an OCR / confusables key (TR39 skeleton + digit look-alikes).

Everything here is pure and cached per token; `prepare()` is what both the index (list side, at build time) and
the screener (query side) call, so both sides are always normalised the same way.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import icu
from anyascii import anyascii
from rigour._core import person_name_prefixes_list
from rigour.names import extract_org_types, remove_org_types
from rigour.names.prefix import remove_obj_prefixes
from rigour.text import metaphone
from rigour.text.translit import ascii_text, maybe_ascii

from sanctions.match import korean

# ---------------------------------------------------------------------------------------------------------------
# Tables

# Particles: Arabic nasab / kunya / article words and connectors (fi, wa, wal, lil, ila: in, and, and the, for the,
# to; ud: the article after -u, JAMAAT-UD-DAWA), and the connectors of European names and company names. They are
# kept (they distinguish "ABU BAKR" from "BAKR"), but weigh little and never generate candidates on their own.
PARTICLES = frozenset(
    "al el ul ol ar ad as at an az ash bin ibn bint ben bent abu abou ebu abd abdel abdul ould wuld wad walad "
    "van von der den de del della da di du des la le los las y e et und the of and for fi wa lil wal ila ud".split()
)

# Words that name a kind of company without being a legal form (rigour's legal-form table leaves them in the
# name): inside organisation names they weigh like particles, so "X TRADING CO" and "X TRADING COMPANY" agree
# and no two companies look alike because both are a "company".
ORG_FILLERS = frozenset(
    "co company companies corp corporation cie inc ltd limited llc plc establishment est group holding "
    "holdings and youxian gongsi youxiangongsi jituan gufen "
    # a branch or office is the company itself, not another party (X LAGOS BRANCH / X LAGOS OFFICES)
    "branch branches office offices "
    # a Russian scientific production enterprise (NPP, in English SPE), which names its kind, not itself
    "npp spe "
    # "company" in Persian (شرکت, with its ezafe: SHERKAT-E X) and Arabic (شركة) romanised
    "sherkat sherkate shirkat sharikat sharikah sharika".split()
)

# Chinese company suffixes (Company Law of the PRC: 有限责任公司 limited liability company, 股份有限公司 company
# limited by shares; 有限公司 Co., Ltd.; 公司 company; 集团 group), cut before romanisation; in traditional characters
# too (Hong Kong, Taiwan), and in pinyin as the lists romanise them (X MAOYI YOUXIAN GONGSI).
HAN_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限責任公司", "有限公司", "集团公司", "集團公司", "公司", "集团", "集團")
PINYIN_LEGAL_FORMS = ((("gufen", "youxian", "gongsi"), "jsc"), (("youxian", "zeren", "gongsi"), "llc"),
                      (("youxian", "gongsi"), "llc"))
# A Chinese company's name is its place, trade name, line of business and form (企业名称登记管理规定, the PRC rules
# on enterprise names). The common lines of business, in Han (simplified and traditional) or pinyin, read as the
# English the lists' other names for the company use (CC-CEDICT's glosses): 国际 / GUOJI / INTERNATIONAL.
CHINESE_BUSINESS_WORDS = {
    form: english
    for forms, english in (
        (("国际", "國際", "guoji"), "international"), (("贸易", "貿易", "maoyi"), "trading"),
        (("商贸", "商貿", "shangmao"), "trading"), (("科技", "keji"), "technology"),
        (("技术", "技術", "jishu"), "technology"), (("实业", "實業", "shiye"), "industrial"),
        (("工业", "工業", "gongye"), "industry"), (("发展", "發展", "fazhan"), "development"),
        (("进出口", "進出口", "jinchukou"), "import export"), (("投资", "投資", "touzi"), "investment"),
        (("控股", "konggu"), "holding"), (("电子", "電子", "dianzi"), "electronics"), (("物流", "wuliu"), "logistics"),
        (("航运", "航運", "hangyun"), "shipping"), (("海运", "海運", "haiyun"), "shipping"),
        (("船务", "船務", "chuanwu"), "shipping"), (("能源", "nengyuan"), "energy"), (("化工", "huagong"), "chemical"),
        (("机械", "機械", "jixie"), "machinery"), (("制造", "製造", "zhizao"), "manufacturing"),
        (("石油", "shiyou"), "petroleum"), (("矿业", "礦業", "kuangye"), "mining"), (("材料", "cailiao"), "materials"),
        (("信息", "xinxi"), "information"), (("网络", "網絡", "wangluo"), "network"),
        (("中国", "中國", "zhongguo"), "china"), (("总公司", "總公司", "zonggongsi"), "corporation"),
        (("gongsi",), "company"),
    )
    for form in forms
}
_HAN_BUSINESS_WORDS = sorted((w for w in CHINESE_BUSINESS_WORDS if not w.isascii()), key=len, reverse=True)

# English number words and ordinals (1-20 and the tens) read as the number they write: "FOURTH OCEAN" and
# "4TH OCEAN" are the same name and "FOURTH" vs "FOURTEENTH" is a number conflict, not a typo.
_NUMBER_WORDS = {}
for _i, (_card, _ord) in enumerate(
    [("one", "first"), ("two", "second"), ("three", "third"), ("four", "fourth"), ("five", "fifth"),
     ("six", "sixth"), ("seven", "seventh"), ("eight", "eighth"), ("nine", "ninth"), ("ten", "tenth"),
     ("eleven", "eleventh"), ("twelve", "twelfth"), ("thirteen", "thirteenth"), ("fourteen", "fourteenth"),
     ("fifteen", "fifteenth"), ("sixteen", "sixteenth"), ("seventeen", "seventeenth"),
     ("eighteen", "eighteenth"), ("nineteen", "nineteenth"), ("twenty", "twentieth")],
    start=1,
):  # fmt: skip
    _NUMBER_WORDS[_card] = _NUMBER_WORDS[_ord] = str(_i)
for _tens, _word in ((30, "thirty"), (40, "forty"), (50, "fifty"), (60, "sixty"), (70, "seventy"),
                     (80, "eighty"), (90, "ninety")):  # fmt: skip
    _NUMBER_WORDS[_word] = str(_tens)
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
_ROMAN = {r: str(i) for i, r in enumerate(
    "i ii iii iv v vi vii viii ix x xi xii xiii xiv xv xvi xvii xviii xix xx".split(), start=1)}


_BRITISH_ISATION = re.compile(r"isation(s?)$")


def american_spelling(word: str) -> str:
    """British -isation as American -ization (ORGANISATION / ORGANIZATION: one word, both in the lists)."""
    return _BRITISH_ISATION.sub(r"ization\1", word)


def number_word(token: str) -> str:
    m = _ORDINAL.match(token)
    if m:
        return m.group(1)
    return _NUMBER_WORDS.get(token, token)


# A father's name passed on (JR, SR, II): written after a name, where a title is not.
GENERATIONAL_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Religious, military and courtesy titles seen in sanctions lists that rigour's (European) prefix list lacks.
EXTRA_HONORIFICS = frozenset(
    "sheikh shaykh shaikh sheik haji hajji hadji sayyid sayed syed maulvi mawlawi maulana mawlana mullah mulla "
    "qari hafiz mufti imam ayatollah hojatoleslam col colonel gen general maj major capt lt brig eng engr "
    "dr prof mr mrs ms miss sir".split()
) | GENERATIONAL_SUFFIXES
# Arabic-script particles, written as the Latin particle they are romanised as.
ARABIC_PARTICLES = {"عبد": "abd", "بن": "bin", "ابن": "ibn", "بنت": "bint", "أبو": "abu", "ابو": "abu", "ولد": "ould",
                    "آل": "al", "ال": "al", "أبي": "abi", "ابي": "abi"}  # fmt: skip
# ... and a conjunction or preposition with the article written onto the word: wa-l- (and the), li-l- (for the)
_ARABIC_PROCLITICS = {"وال": "wal", "لل": "lil"}
# Arabic-script honorifics (engineer, Mr/Mrs, doctor, sheikh, hajj), removed before transliteration.
ARABIC_HONORIFICS = frozenset(
    "المهندس المهندسة السيد السيدة الدكتور الدكتورة الشيخ الحاج الحاجة الأستاذ الأستاذة".split()
    # the titles the Latin-script table (`honorifics`) takes out as Mullah, Haji, Sheikh, Sayed, Maulvi, Maulana,
    # Mufti, Imam: taken out on both sides, or a query written in Arabic script keeps a word its listed spelling lost
    + "ملا حاج حاجي شيخ سيد مولوي مولانا مفتي امام إمام".split()
)


@lru_cache(maxsize=1)
def honorifics() -> frozenset[str]:
    single = {p.lower().rstrip(".") for p in person_name_prefixes_list() if " " not in p}
    return frozenset(single | EXTRA_HONORIFICS)


# ---------------------------------------------------------------------------------------------------------------
# Unicode clean-up


@lru_cache(maxsize=1)
def _confusables() -> dict[int, str]:
    """Cyrillic / Greek / Armenian letters whose TR39 confusables skeleton is a Latin letter."""
    checker = icu.SpoofChecker()
    table: dict[int, str] = {}
    for lo, hi in ((0x0370, 0x03FF), (0x0400, 0x052F), (0x0530, 0x058F)):
        for cp in range(lo, hi + 1):
            ch = chr(cp)
            if not ch.isalpha():
                continue
            sk = checker.getSkeleton(0, ch)
            if sk and sk.isascii() and sk.isalpha() and len(sk) <= 2:
                table[cp] = sk
    return table


_SPACE = re.compile(r"\s+")


def _is_invisible(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat in ("Cf", "Cc", "Co", "Cn") or 0xFE00 <= ord(ch) <= 0xFE0F


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """NFKC, invisible characters removed, spaces unified, Latin look-alikes folded in Latin-script names."""
    if text.isascii() and text.isprintable():
        return _SPACE.sub(" ", text).strip()
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if ch.isspace() or unicodedata.category(ch) == "Zs":
            out.append(" ")
        elif not _is_invisible(ch):
            out.append(ch)
    text = "".join(out)
    if any("a" <= c.lower() <= "z" for c in text) and not text.isascii():
        table = _confusables()
        text = "".join(table.get(ord(c), c) if not c.isascii() else c for c in text)
    return _SPACE.sub(" ", text).strip()


def script_of(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x0250 or 0x1E00 <= cp <= 0x1EFF:
        return "Latin"
    if 0x0400 <= cp <= 0x052F:
        return "Cyrillic"
    if 0x0370 <= cp <= 0x03FF:
        return "Greek"
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFDFF or 0xFE70 <= cp <= 0xFEFF:
        return "Arabic"
    if 0xAC00 <= cp <= 0xD7AF or 0x1100 <= cp <= 0x11FF or 0x3130 <= cp <= 0x318F:
        return "Hangul"
    if 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0xF900 <= cp <= 0xFAFF:
        return "Han"
    if 0x0590 <= cp <= 0x05FF:
        return "Hebrew"
    return "Other"


def dominant_script(text: str) -> str:
    if text.isascii():
        return "Latin"
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha():
            s = script_of(ch)
            counts[s] = counts.get(s, 0) + 1
    if not counts:
        return "Latin"
    return max(counts.items(), key=lambda kv: (kv[1], kv[0] == "Latin"))[0]


# ---------------------------------------------------------------------------------------------------------------
# Skeletons: consonant classes shared by Arabic letters and the Latin spellings of Arabic / Persian names.

_ARABIC_CLASSES = {
    "ب": "b", "پ": "b", "ت": "t", "ط": "t", "ث": "T", "ٹ": "t", "ج": "j", "چ": "c", "ح": "h", "ه": "h", "ہ": "h",
    "ھ": "h", "خ": "x", "د": "d", "ذ": "D", "ض": "D", "ڈ": "d", "ظ": "Z", "ز": "z", "ژ": "z", "ر": "r", "ڑ": "r",
    "س": "s", "ص": "s", "ش": "s", "غ": "g", "ف": "f", "ق": "Q", "ك": "k", "ک": "k", "گ": "g", "ل": "l",
    "م": "m", "ن": "n", "ں": "n",
}  # fmt: skip
# Letters that Persian, Urdu, Turkish and Maghrebi spellings read otherwise than Arabic romanisation does: ث as t
# or s (Thabit / Sabit), ذ and ض as d or z (Dhabih / Zabih, Ramadan / Ramazan), ظ as z or d (Nazim / Nadhim), and ق
# as q / k or, in Maghrebi, Gulf and Sudanese speech, g (Qamar / Gamar, Qasim / Gasim). Their class is a
# capital standing for both readings, the Arabic one first (`skeleton_readings`).
SKELETON_READINGS = {"T": "ts", "D": "dz", "Z": "zd", "Q": "kg"}
_TWO_READINGS = re.compile("[TDZQ]")
_FIRST_READING = str.maketrans({k: v[0] for k, v in SKELETON_READINGS.items()})
MAX_TWO_READINGS = 4  # at most 2 ** 4 readings of one skeleton
# Everything else in the Arabic block (alef forms, hamza, ain, waw, yeh, ta marbuta, diacritics) carries no
# consonant the Latin spellings agree on, so it is dropped on both sides (as are vowels, w, y, and ' in Latin).
_LATIN_DIGRAPHS = [
    ("sch", "s"), ("tch", "c"), ("dj", "j"), ("dh", "d"), ("th", "t"), ("kh", "x"), ("gh", "g"), ("sh", "s"),
    ("ch", "c"), ("ph", "f"), ("ck", "k"), ("zh", "z"), ("ts", "s"),
]  # fmt: skip
_C_SOFT = re.compile(r"c(?=[eiy])")
_LATIN_CLASSES = str.maketrans({"p": "b", "v": "f", "q": "k", "c": "k", "x": "ks"})
_VOWELS = str.maketrans("", "", "aeiouwy")


_INNER_VOWELS = str.maketrans("", "", "aeiou")


def vowels_dropped(word: str) -> tuple[str, ...]:
    """The word with the vowels inside it left out, its first letter kept and its last kept or not (CORPORATIVA /
    CRPRTVA, NAVARO / NVR): a way to write a name short, or to slip it past an exact match."""
    if len(word) < 3:
        return ()
    inner = word[0] + word[1:-1].translate(_INNER_VOWELS)
    return (inner + word[-1], inner) if word[-1] in "aeiou" else (inner + word[-1],)


def collapse_doubles(s: str) -> str:
    out = []
    prev = ""
    for ch in s:
        if ch != prev:
            out.append(ch)
            prev = ch
    return "".join(out)


@lru_cache(maxsize=65536)
def latin_skeleton(token: str) -> str:
    """Consonant classes of a Latin spelling: doubled letters collapse first (SADDAM = SADAM, since Arabic script
    does not write the doubling), then vowels, w and y go (AZIZ keeps both z: they are two consonants)."""
    return _latin_classes(token).translate(_VOWELS)


@lru_cache(maxsize=65536)
def latin_slots(token: str) -> tuple[str, ...]:
    """A Latin spelling as its consonant classes and vowel runs (w and y count as vowels, as in Arabic script),
    which an Arabic word's long-vowel slots (`arabic_vowel_slots`) are fitted into."""
    return tuple(_RUNS.findall(_latin_classes(token)))


_RUNS = re.compile(r"[aeiouwy]+|[^aeiouwy]")


def final_vowel_h(token: str) -> bool:
    """A final -ah / -eh (-ih, -oh, -uh): the skeleton reads it as Arabic ta marbuta or final heh (Fatimah /
    فاطمة) and drops the h; it may also write a consonant, ح (Falah / فلاح), which the matcher tries too."""
    return len(token) > 2 and token[-1] == "h" and token[-2] in "aeiou"


@lru_cache(maxsize=65536)
def _latin_classes(token: str) -> str:
    """A Latin spelling as consonant classes, vowels still in: what the skeleton and the vowel slots share."""
    t = token
    if final_vowel_h(t):
        t = t[:-1]
    if "c" in t:
        t = _C_SOFT.sub("s", t)
    for a, b in _LATIN_DIGRAPHS:
        if a in t:
            t = t.replace(a, b.upper())
    return collapse_doubles(t.translate(_LATIN_CLASSES).lower())


def arabic_vowel_slots(word: str) -> str:
    """The Arabic skeleton with a slot for each long-vowel letter: Arabic writes only long vowels, so each must be
    found, in order, in any Latin spelling of the same name, as a vowel of its kind (see `features._vowels_fit`):
    "1" alef (a, e, o), "2" yeh (i, y, e), "3" waw (o, u, w); "V" a word-initial alef, which carries any vowel
    (Ahmad / أحمد, Ibrahim / إبراهيم, Osama / أسامة). A last character names how the word ends, which a Latin
    spelling's last letter must agree with: "A" alef, alef maqsura or hamza, "I" yeh, "U" waw, "." ta marbuta
    or heh (Osama / أسامة, Shah / شاه), "E" a long vowel and ain; none after a consonant."""
    end = ARABIC_ENDS.get(word[-1], "") if word else ""
    if word.endswith("ع") and len(word) > 2 and word[-2] in _ARABIC_VOWEL_SLOT:
        end = "E"  # a long vowel then ain (Rabi' / ربيع): Latin spellings end on that vowel
    if len(word) > 2 and word[-1] in "هة":
        word = word[:-1]
    slots = [_ARABIC_CLASSES.get(c) or _ARABIC_VOWEL_SLOT.get(c, "") for c in word]
    if slots and word[0] in "اأإآ":
        slots[0] = "V"
    return collapse_doubles("".join(slots)) + end


_ARABIC_VOWEL_SLOT = {**dict.fromkeys("اأإآى", "1"), **dict.fromkeys("يیئے", "2"), **dict.fromkeys("وؤ", "3")}
ARABIC_ENDS = {**dict.fromkeys("اأإآىء", "A"), **dict.fromkeys("يیئے", "I"), **dict.fromkeys("وؤ", "U"),
               **dict.fromkeys("هة", ".")}  # fmt: skip
ARABIC_END_MARKS = "AIUE."


@lru_cache(maxsize=65536)
def skeleton_readings(skel: str) -> tuple[str, ...]:
    """Every plain skeleton a skeleton with two-reading classes stands for, the Arabic romanisation's first."""
    if not _TWO_READINGS.search(skel):
        return (skel,)
    if len(_TWO_READINGS.findall(skel)) > MAX_TWO_READINGS:  # a long run-together word: the Arabic readings only
        return (skel.translate(_FIRST_READING),)
    out = [""]
    for ch in skel:
        out = [o + r for o in out for r in SKELETON_READINGS.get(ch, ch)]
    return tuple(out)


def same_skeleton(a: str, b: str) -> bool:
    return a == b or not set(skeleton_readings(a)).isdisjoint(skeleton_readings(b))


def arabic_skeleton(word: str) -> str:
    if len(word) > 2 and word[-1] in "هة":
        word = word[:-1]
    return collapse_doubles("".join(_ARABIC_CLASSES.get(c, ".") for c in word)).replace(".", "")


# OCR / confusable key: TR39 skeleton of the ASCII token (m -> rn, 0 -> O, 1 -> l ...) plus the classic OCR pairs.
_OCR_PAIRS = [("rn", "m"), ("cl", "d"), ("vv", "w"), ("0", "o"), ("1", "l"), ("5", "s"), ("8", "b"), ("2", "z"),
              ("6", "g")]  # fmt: skip


@lru_cache(maxsize=65536)
def ocr_key(token: str) -> str:
    t = token
    for a, b in _OCR_PAIRS:
        t = t.replace(a, b)
    return _abdullah_form(t) if t != token and t.startswith("abd") else t  # A8DULLAH reads as ABDULLAH does


# ---------------------------------------------------------------------------------------------------------------
# Tokens


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # normalised ASCII form
    skel: str  # consonant skeleton
    meta: str  # metaphone
    kfold: str  # Korean romanisation fold
    ocr: str  # OCR / confusables key
    particle: bool = False
    number: bool = False
    cross: bool = False  # transliterated from a script without vowels (Arabic): compare by skeleton only
    vslots: str = ""  # cross tokens: the skeleton with long-vowel slots (see arabic_vowel_slots)
    uid: int = field(default=0, compare=False)  # a small int naming this token object (cache keys)


_UID = itertools.count(1)


def renumber(token: Token) -> None:
    """Give a token made in another process (an index read from a file or a Spark broadcast) a uid of this one,
    so it can never share a similarity-cache key with a token made here."""
    object.__setattr__(token, "uid", next(_UID))


@lru_cache(maxsize=131072)
def make_token(text: str, skel: str | None = None, vslots: str = "") -> Token:
    number = any(c.isdigit() for c in text) and not any(c.isalpha() for c in text)
    return Token(
        text=text,
        skel=skel if skel is not None else (latin_skeleton(text) if not number else text),
        meta=metaphone(text) if not number and len(text) > 2 else text,
        kfold=korean.fold(text) if not number else text,
        ocr=ocr_key(text),
        particle=text in PARTICLES,
        number=number,
        cross=skel is not None,
        vslots=vslots,
        uid=next(_UID),
    )


def fuse(a: Token, b: Token) -> Token:
    """Two adjacent tokens written as one (Abdul Rahman -> abdulrahman, Kwang Chol -> kwangchol)."""
    return _fuse(a, b)


@lru_cache(maxsize=65536)
def _fuse(a: Token, b: Token) -> Token:
    text = a.text + b.text
    return Token(
        text,
        a.skel + b.skel,
        "",
        a.kfold + b.kfold,
        a.ocr + b.ocr,
        cross=a.cross or b.cross,
        vslots=a.vslots + b.vslots if a.cross and b.cross else "",
        uid=next(_UID),
    )


# Arabic theophoric names "servant of X" are written as one, two or three words: Abdelkader, Abdul Kader,
# Abd al-Qadir, Abd-el-Kader, عبد القادر, عبدالقادر. They are read as one token "abd" + X (article dropped).
_ABD_FORMS = ("abdul", "abdel", "abdal", "abdol", "abdoul", "abdur", "abdu", "abd")
_ARTICLES = frozenset("al el ul ol ar as ad at an az ash ur".split())
# Arabic particles written several ways, each group one word: the article (its l assimilated before a sun letter:
# AR-RAHMAN, AS-SALAM; OL in Persian romanisation: ZEIN OL ABEDIN), son of, daughter of, father of
PARTICLE_SPELLINGS = {w: group[0] for group in (("al", *sorted(_ARTICLES), "ud"), ("bin", "ben", "ibn"),
                                                 ("bint", "bent"), ("abu", "abou", "ebu"), ("ould", "wuld", "wad", "walad"))
                      for w in group}


def _is_abd(text: str, skel: str | None) -> bool:
    """One of the written forms of "abd", or ABDUL with its B or D mistyped (ABFUL, AVDUL); not other neighbours,
    among which are names (ABDUH, ABDOU: عبده; ANDEL)."""
    if text in _ABD_FORMS:
        return True
    return skel is None and len(text) == 5 and text.endswith("ul") and text[0] == "a" and (text[1] == "b") != (
        text[2] == "d")


# ABUL (ABOL in Persian, ABU'L) is ABU AL, "father of the", written as one word (Abul Hasan / Abu al-Hasan), as
# ABDUL is ABD AL; and the article's bare L after ABU (Abu-l-Hasan) is that article
_ABU_ARTICLE = frozenset(("abul", "abol"))


def _split_abu_article(pieces: list[tuple]) -> list[tuple]:
    """ABUL / ABOL read as the two particles ABU and AL; an L after ABU as AL. Latin-script words only: an Arabic
    word's reading is its own (ابو الحسن is read word by word)."""
    out: list[tuple] = []
    for piece in pieces:
        text, skel = piece[0], piece[1]
        if skel is None and text in _ABU_ARTICLE:
            out.extend((("abu", None), ("al", None)))
        elif skel is None and text == "l" and out and out[-1][0] == "abu":
            out.append(("al", None))
        else:
            out.append(piece)
    return out


# ABDULLAH, "servant of God" (عبد الله), in the spellings its abd and Allah take written as one or apart (ABDALLAH,
# ABDELLAH, ABDOLLAH, ABDULLA, ABD ALLAH; ABDULLO / ABDULLOKH in Uzbek and Tajik; ABDULLAHI / ABDULAI in West Africa
# and Somalia), is one name, one token, not ABD + LAH (nor is ABDALI); so at the start of a longer word, its h
# written (ABDOLLAHPOUR)
_ABDULLAH = re.compile(r"(abd[aeiou]?ll?[aou]h)(?=[a-z]{3})|abd[aeiou]?ll?[aou](?:h|kh)?i?")


def _abdullah_form(text: str) -> str:
    """`text` with ABDULLAH, in any of its spellings (`_ABDULLAH`), written so; else `text` itself."""
    m = _ABDULLAH.match(text)
    if m and (m.group(1) or m.end() == len(text)):
        return "abdullah" + text[m.end():]
    return text


def _join_abd(pieces: list[tuple], join_last: bool = True) -> list[tuple]:
    """ABD joined to the name it is the servant of (`_join_abd_forms`), then every ABDULLAH spelling written so
    (ABD ALLAH and ABDUL LAH are joined there first). `join_last`: also to the name's last word."""
    out = _join_abd_forms(pieces, join_last)
    return [(_abdullah_form(p[0]), *p[1:]) if p[1] is None and p[0].startswith("abd") else p for p in out]


def _join_abd_forms(pieces: list[tuple], join_last: bool = True) -> list[tuple]:
    out: list[tuple] = []
    i = 0
    n = len(pieces)
    while i < n:
        text, skel = pieces[i][0], pieces[i][1]
        if i + 1 < n and _is_abd(text, skel):
            j = i + 1
            if pieces[j][0] in _ARTICLES and j + 1 < n:
                j += 1
            nxt = pieces[j][0]
            if nxt not in PARTICLES and not nxt.isdigit():
                if join_last or j < n - 1:
                    out.append(_abd_with(pieces[j]))
                    i = j + 1
                    continue
                text = "abd"  # left apart: the particle, however spelt
        elif skel is None and len(text) > 6 and text.startswith(_ABD_FORMS[:-2]):
            text = _abdullah_form(text)  # ABDOLLAH(POUR) is ABDULLAH(POUR): one name, not ABD + LAH(POUR)
            if not text.startswith("abdullah"):
                for form in _ABD_FORMS:
                    if text.startswith(form) and len(text) - len(form) >= 3:
                        text = "abd" + text[len(form) :]
                        break
        out.append((text, skel, *pieces[i][2:]))
        i += 1
    return out


def _abd_with(piece: tuple) -> tuple:
    """"abd" joined to the piece it is the servant of: its text, skeleton and vowel slots (عبد الله: ABDULLAH)."""
    text, skel = piece[0], piece[1]
    if skel is not None and text == "llh":
        return ("abdullah", None, "")
    vs = piece[2] if len(piece) > 2 else ""
    return ("abd" + text, ("bd" + skel) if skel is not None else None, ("bd" + vs) if vs else "")


def _join_abd_across_comma(pieces: list[tuple]) -> list[tuple]:
    """SURNAME, Given with a bare "Abdul" for the given name (BASIT, Abdul; RAZZAQ, Abdur): the name is Abdul Basit,
    its two halves on either side of the comma; joined as `_join_abd` joins them when written in order."""
    k = next((i for i, p in enumerate(pieces[:-1]) if p[0] not in PARTICLES and not p[0].isdigit()), None)
    if k is None:
        return pieces
    return [p for i, p in enumerate(pieces[:-1]) if i != k] + [_abd_with(pieces[k])]


@lru_cache(maxsize=256)
def _as_filler(t: Token) -> Token:
    return Token(
        t.text, t.skel, t.meta, t.kfold, t.ocr, particle=True, number=t.number, cross=t.cross, uid=next(_UID)
    )


_APOSTROPHES = re.compile(r"['’‘`´ʼʻʿʾ]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ARABIC_MARKS = re.compile(r"[\u064B-\u065F\u0670\u06D6-\u06ED\u0640]")  # harakat, tatweel
# Persian and Urdu letter forms of the same Arabic letters (Unicode names: HEH GOAL, HEH DOACHASHMEE, FARSI YEH,
# YEH BARREE, KEHEH, TEH MARBUTA GOAL), so that particles, Allah and the final heh read the same in all three
_ARABIC_FOLD = str.maketrans({"ہ": "ه", "ھ": "ه", "ی": "ي", "ے": "ي", "ک": "ك", "ۃ": "ة"})


# "&" inside an abbreviation joins its letters (AT&T / ATT, S&PB: `prepare`); between words it is "and", and so
# between two single letters, which aliases spell out (B&Q / B AND Q, or B Y Q in Spanish)
_AMP_ABBREVIATION = re.compile(r"\b(?:[A-Za-z]&[A-Za-z]{2,3}|[A-Za-z]{2}&[A-Za-z]{1,3})\b")


def _ascii_words(text: str) -> list[str]:
    text = _APOSTROPHES.sub("", text.lower())
    if "&" in text:
        text = text.replace("&", " and ")
    return [w for w in _NON_WORD.split(text) if w]


@lru_cache(maxsize=1)
def _han_latin():
    return icu.Transliterator.createInstance("Han-Latin; Latin-ASCII")


@lru_cache(maxsize=8192)
def _word_to_latin(word: str) -> list[tuple]:
    """One whitespace-separated word as (latin text, arabic skeleton or None) pieces. Cached: an untyped query
    is prepared twice (as a person and with legal forms out) from the same words. Callers must not change the
    list."""
    script = dominant_script(word)
    if script == "Latin":
        return [(w, None) for w in _ascii_words(word if word.isascii() else ascii_text(word))]
    if script == "Arabic":
        word = _ARABIC_MARKS.sub("", word).translate(_ARABIC_FOLD)
        pieces = []
        for part in re.split(r"[\s\-_،,.]+", word):
            if not part:
                continue
            if part in ARABIC_PARTICLES:
                pieces.append((ARABIC_PARTICLES[part], None))
                continue
            if part in ("شركة", "شركت"):  # "company", Arabic and Persian (شرکت, folded): SHERKAT, a filler
                pieces.append(("sherkat", None))
                continue
            for prefix, particle in _ARABIC_PROCLITICS.items():
                if part.startswith(prefix) and len(part) - len(prefix) >= 3:
                    # and the, for the (والجهاد, للدعوة) written onto the word: apart, as Latin spellings write them
                    pieces.append((particle, None))
                    part = part[len(prefix):]
                    break
            if part == "عبدالله":  # ABDULLAH, as every Latin spelling reads (`_ABDULLAH`); apart: `_abd_with`
                pieces.append(("abdullah", None))
                continue
            if part.startswith("عبدال") and len(part) > 6 and not part.startswith("عبدالله"):
                pieces.append(("abd", None))
                part = part[5:]
            elif len(part) > 3 and part.startswith("ال") and not part.startswith("الله"):
                pieces.append(("al", None))
                part = part[2:]
            latin = "".join(_ascii_words(anyascii(part))) or part
            pieces.append((latin, arabic_skeleton(part), arabic_vowel_slots(part)))
        return pieces
    if script == "Hangul":
        return [(w, None) for part in korean.romanize_word(word) for w in _ascii_words(part)]
    if script == "Han":
        company = False
        for form in HAN_LEGAL_FORMS:
            if word.endswith(form) and len(word) > len(form):
                word = word[: -len(form)]
                company = True
                break
        chars = "".join([c for c in word if script_of(c) == "Han"])
        out, i = [], 0
        while i < len(chars):  # a line-of-business word in English, every other character as its pinyin syllable
            known = next((w for w in _HAN_BUSINESS_WORDS if chars.startswith(w, i)), None)
            if known:
                out.extend((w, None) for w in CHINESE_BUSINESS_WORDS[known].split())
                company = True
                i += len(known)
            else:
                out.append(("".join(_ascii_words(_han_latin().transliterate(chars[i]))), None))
                i += 1
        if not company and 2 <= len(out) <= 4:  # a person's name: the surname, the given name in one word
            return [out[0], ("".join([p[0] for p in out[1:]]), None)]
        return [p for p in out if p[0]]
    latin = maybe_ascii(word)
    if not latin.isascii():
        latin = ascii_text(latin)
    return [(w, None) for w in _ascii_words(latin)]


# ---------------------------------------------------------------------------------------------------------------
# Names


# Arabic and Hassaniya "son / daughter of": the name after it (after the article, if any) is a patronymic too
SON_OF = frozenset("bin ben ibn bint bent ould wuld walad".split())


def _patronymics(tokens: tuple[Token, ...], person: bool) -> tuple[bool, ...]:
    """Per token: a patronymic by its ending (PATRONYMIC) or by the "son of" before it (BEN YOUSSEF, BIN AL-HADI);
    in a person's name, a nisba too (below)."""
    out = []
    for i, t in enumerate(tokens):
        flag = bool(PATRONYMIC.search(t.text)) and len(t.text) > 6
        if not flag and i > 0 and not t.particle:
            j = i - 1
            if tokens[j].text in ("al", "el"):
                # a nisba, the article and an adjective of origin (AL-MASRI, AL-BAGHDADI): lists add or drop it
                flag = person and len(t.text) >= 4 and t.text[-1] in "iy" and not t.cross
                j -= 1
            flag = flag or (j >= 0 and tokens[j].text in SON_OF)
        out.append(flag)
    return tuple(out)


# Patronymics, which lists and documents give or leave out at will: the East Slavic forms (-ovich / -evich /
# -ovna / -evna, Ukrainian -ovych / -ivna, Belarusian -avich / -avna / -auna, -ichna) in their usual romanisations,
# and the Turkic ogly / kyzy.
SLAVIC_PATRONYMIC_ENDINGS = "ovich|evich|avich|ovych|evych|ovitch|evitch|ovna|evna|avna|auna|ivna|ichna"
PATRONYMIC = re.compile(rf"(?:{SLAVIC_PATRONYMIC_ENDINGS}|ogly|oglu|kyzy|qizi)$")


@dataclass(slots=True)
class Prepared:
    """A name ready for comparison. `tokens` are content tokens; legal forms sit apart in `forms`."""

    text: str
    tokens: tuple[Token, ...]
    forms: frozenset[str] = frozenset()
    form_letters: str = ""  # the legal forms' letters as written, in order ("sadecv" for S.A. DE C.V.)
    script: str = "Latin"
    korean: bool = False
    numbers: frozenset[str] = field(default_factory=frozenset)
    fused: tuple[Token, ...] = ()  # fuse(tokens[i], tokens[i + 1]) for every i (built once)
    syllabic: bool = False  # every content token reads as Korean or pinyin syllables
    person: bool = field(default=False, compare=False)  # prepared as a person's name (see `patronymic`)
    # SURNAME, Given Middle (a person's name with one comma): the first given name's token position, else -1
    given_at: int = field(default=-1, compare=False)
    # derived once for the alignment's inner loops (match/features.py `align`):
    uids: tuple[int, ...] = field(init=False, repr=False, compare=False)  # token uid << 1 (a cache-key part)
    lens: tuple[int, ...] = field(init=False, repr=False, compare=False)  # length; -9 for numbers / particles
    patronymic: tuple[bool, ...] = field(init=False, repr=False, compare=False)  # see PATRONYMIC
    letters: str = field(init=False, repr=False, compare=False)  # the tokens' letters run together, in order
    # the shortest and longest content word's length ((99, -99) when none) and whether a word is Arabic script
    len_range: tuple[int, int] = field(init=False, repr=False, compare=False)
    cross: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.uids = tuple(t.uid << 1 for t in self.tokens)
        self.letters = "".join([t.text for t in self.tokens])
        self.lens = tuple(-9 if (t.number or t.particle) else len(t.text) for t in self.tokens)
        content = [n for n in self.lens if n > 0]
        self.len_range = (min(content), max(content)) if content else (99, -99)
        self.cross = any([t.cross for t in self.tokens])
        # (module functions, no closures: a generator expression reading a local crashed the compiled build in GC)
        self.patronymic = _patronymics(self.tokens, self.person)


    @property
    def key(self) -> str:
        return " ".join(t.text for t in self.tokens)


_PERSON = "person"


_AND_CO = re.compile(r"\band(?=\s+co\b)")


def _strip_forms(latin: str, kind: str | None, edges: tuple[bool, bool]) -> tuple[str, frozenset[str], str]:
    """(name without its legal forms, their types, their letters as written: "sadecv" for S.A. DE C.V.).

    rigour's table holds the forms of every jurisdiction, some of them two letters that are also names. The two
    edge words, where legal forms stand, stay words when `edges` says so (`_edge_name_words`): YU-STAR LLC keeps
    its YU. And a name of unknown kind made only of Chinese or Korean syllables, one a word (WANG NA, YU Wei, KIM
    Chol IM), is a person's, with no legal form at all."""
    latin = _AND_CO.sub("&", latin)  # GMBH AND CO. KG is GmbH & Co. KG, the form rigour's table knows
    if kind is None:
        words = _ascii_words(latin)
        if len(words) > 1 and all([one_syllable(w) or w.isdigit() for w in words]):
            return latin, frozenset(), ""
    start, end = 0, len(latin)  # the edge words, found in the whole name (one may end where the other starts)
    first = _FIRST_WORD.match(latin) if edges[0] else None
    last = _LAST_WORD.search(latin) if edges[1] else None
    if first:
        start = first.end()
    if last:
        end = last.start()
    if start >= end:  # nothing but the edge words: no legal form
        return latin, frozenset(), ""
    head, latin, tail = latin[:start], latin[start:end], latin[end:]
    found = extract_org_types(latin, generic=True)
    if not found:
        return head + latin + tail, frozenset(), ""
    stripped = remove_org_types(latin, replacement=" ")
    if not _ascii_words(head + stripped + tail):  # the whole name is a legal form: keep it as the name
        return head + latin + tail, frozenset(), ""
    return (head + stripped + tail, frozenset(t for _, t in found),
            "".join("".join(_ascii_words(f)) for f, _ in found))


# The two-letter legal forms names in the lists carry (X AG, X S.A., X BV, AO X, KB X ...); rigour's table has more,
# some of them words of names (YU, IM, NA, IN), which a name's first or last word is more likely to be.
TWO_LETTER_FORMS = frozenset("ag ao as bv ca cv ev gk kb kg lp nv oy pp sa se".split())
_FIRST_WORD = re.compile(r"[^a-z0-9]*([a-z]{2})(?![a-z0-9.])[^a-z0-9]*")  # a name's first word: two letters, undotted
_LAST_WORD = re.compile(r"(?<![a-z0-9.])([a-z]{2})[^a-z0-9.]*$")  # ... its last (AA0EG has neither: one word)


def _edge_name_words(name: str) -> tuple[bool, bool]:
    """Whether the name's first and last words, as written, are two-letter words, undotted, that are no legal form
    (`TWO_LETTER_FORMS`): words of the name (see `_strip_forms`). Asked of the name as written, since a dotted
    form (S.A.) loses its dots on the way."""
    name = _APOSTROPHES.sub("", name.lower())
    first, last = _FIRST_WORD.match(name), _LAST_WORD.search(name)
    return (first is not None and first.group(1) not in TWO_LETTER_FORMS,
            last is not None and last.group(1) not in TWO_LETTER_FORMS)


_PAREN_WORD = re.compile(r"\s*\(([^()\s]{2,10})\)")


def _initials_left_out(word: str, initials: str) -> int:
    """How many of the word's letters are not, in order, among the initials (read greedily)."""
    missed, k = 0, 0
    for ch in word:
        at = initials.find(ch, k)
        if at < 0:
            missed += 1
        else:
            k = at + 1
    return missed


def _drop_acronyms(text: str) -> tuple[str, frozenset[str]]:
    """``OCEAN MARITIME MANAGEMENT COMPANY (OMM)`` → without ``(OMM)``: a parenthesised word whose letters are, in
    order, initials of the words before it restates the name, it is not another word of it. Also the words (lower
    case) of three letters or more that miss one initial: an acronym still, of the name as written elsewhere (a word
    dropped: X TRADING CO. (XTS) for X TRADING SERVICES CO.); they stay, to weigh like fillers."""
    if "(" not in text:
        return text, frozenset()
    near: set[str] = set()

    def repl(m: re.Match) -> str:
        word = m.group(1).lower()
        initials = "".join(w[0] for w in _ascii_words(text[: m.start()]))
        if not word.isalpha() or len(initials) < 2:
            return m.group(0)
        missed = _initials_left_out(word, initials)
        if not missed:
            return ""
        if missed == 1 and len(word) >= 3:
            near.add(word)
        return m.group(0)

    return _PAREN_WORD.sub(repl, text), frozenset(near)


# Legal-form abbreviations rigour's table lacks when written alone (it knows "PTE LTD", not "PTE"; "S.A.L.", the
# Lebanese société anonyme, not at all): taken out when they end a company name. With them the post-Soviet and
# Yugoslav forms, romanised, that it lacks: d.o.o. / DOOEL undotted (Serbia, Croatia, North Macedonia), TAA
# (Belarus, таварыства з абмежаванай адказнасцю), OsOO (Kyrgyzstan, ОсОО), TOO (Kazakhstan, ТОО), all limited
# liability; the state enterprises DP (Ukraine, державне підприємство) and FGUP / GUP / FSUE (Russia, ФГУП / ГУП:
# rigour knows them spelt out, as "soe"); the joint-stock (commercial) bank AKB / JSB (Russia, АКБ). And the
# limited companies of Spain (S.L., S.L.U.: Ley de Sociedades de Capital), Portugal and Angola (Lda., sociedade por
# quotas), Bulgaria (EOOD / EAD, ЕООД / ЕАД: Commerce Act), and Iran's private joint-stock company abbreviated
# (SSK: sherkat-e sahami-ye khass, spelt out in `_INNER_FORMS`; not SSA, the public one's, as often a word).
EXTRA_LEGAL_FORMS = {"pte": "llc", "pvt": "llc", "sal": "jsc", "tnhh": "llc", **dict.fromkeys(("doo", "dooel", "taa",
                     "osoo", "too", "sl", "slu", "lda", "eood"), "llc"), **dict.fromkeys(("dp", "fgup", "gup", "fsue"),
                     "soe"), **dict.fromkeys(("akb", "jsb", "ead", "ssk"), "jsc")}
# Forms that open a name, taken out there: Vietnamese company names begin with theirs (Law on Enterprises 2020:
# Công ty TNHH, trách nhiệm hữu hạn, limited liability; Công ty cổ phần, joint stock; Công ty, company, alone),
# which rigour's table knows only with the diacritics romanised names have lost; and the post-Soviet forms above,
# often written first (TAA X, FGUP X, derzhavne pidpryemstvo X). Not DP: DP WORLD is a name.
_LEADING_FORMS = ((("cong", "ty", "tnhh"), "llc"), (("cong", "ty", "co", "phan"), "jsc"), (("cong", "ty"), ""),
                  (("derzhavne", "pidpryemstvo"), "soe"), (("tavarystva", "z", "abmezhavanay", "adkaznastsyu"), "llc"),
                  *[((w,), EXTRA_LEGAL_FORMS[w])
                    for w in ("fgup", "gup", "fsue", "akb", "jsb", "taa", "osoo", "too")])
# Legal forms that may stand anywhere in the name: the Iranian private and public joint-stock company (Commercial
# Code, sherkat-e sahami-ye khass / aam), romanised in the lists as SHERKAT SAHAMI KHASS X or X (SAHAMI KHASS)
_INNER_FORMS = tuple((("sahami", last), "jsc") for last in ("khass", "khas", "aam", "am"))
# Lebanese offshore companies (Decree-Law 46/1983) are an "S.A.L. (Offshore)", written with or without the hyphen
_FORM_QUALIFIERS = (("offshore",), ("off", "shore"))
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}(?:[A-Za-z]\b)?")


def _undot(m: re.Match) -> str:
    return m.group(0).replace(".", "") + " "


def _phrase_at(pieces: list[tuple], words: tuple[str, ...], anywhere: bool) -> int:
    """Where the words of a legal form stand in the name (at its start, or `anywhere`), leaving a word besides;
    -1 when they do not."""
    n = len(pieces) - len(words)
    if n < 1 or words[0] not in [p[0] for p in pieces[: n + 1 if anywhere else 1]]:
        return -1
    for i in range(n + 1 if anywhere else 1):
        if tuple([p[0] for p in pieces[i:i + len(words)]]) == words:
            return i
    return -1


# Russian research-and-production enterprises name their kind (научно-производственное объединение, предприятие,
# комплекс, центр, фирма) in full, in English (RESEARCH AND PRODUCTION ASSOCIATION, SCIENTIFIC PRODUCTION
# ENTERPRISE) or as its abbreviation (NPO, NPP, NPK, NPTs or NPC, NPF). All are read as the abbreviation, so the
# three meet. Only NPP is a filler (`ORG_FILLERS`); rigour's legal-form table strips NPO (taking it for a
# non-profit's); NPC, NPK and NPF stay words: they are also other names' (Iran's National Petrochemical Company is
# NPC; an NPF is also a pension fund, NPF TRANSNEFT another party than TRANSNEFT).
_ENTERPRISE_KINDS = re.compile(
    r"\b(?:scientific|research|nauchno)(?:[\s-]+and)?[\s-]+(?:production|industrial|proizvodstvenn[a-z]*)[\s-]+(?:"
    r"(?P<npo>association|amalgamation|union|obe?y?edineni[a-z]*)|(?P<npp>enterprise|predpriyati[a-z]*)"
    r"|(?P<npk>complex|corporation|company|kompleks|korporatsi[a-z]*|kompani[a-z]*)"
    r"|(?P<npc>cent(?:er|re)|tsentr)|(?P<npf>firma?))\b"
    r"|\b(?P<npts>npts)\b"  # НПЦ transliterated: NPC
)


def _enterprise_kind(m: re.Match) -> str:
    return "npc" if m.lastgroup == "npts" else m.lastgroup or ""


_NO_LEGAL_FORM = (_PERSON, "vessel", "aircraft")  # kinds whose names carry none (SEA STAR II, YU SONG 12)


def _pieces(
    cleaned: str, script: str, kind: str | None, edges: tuple[bool, bool]
) -> tuple[list[tuple], frozenset[str], str]:
    words = cleaned.split(" ")
    if script == "Arabic":
        words = [w for w in words if _ARABIC_MARKS.sub("", w).translate(_ARABIC_FOLD) not in ARABIC_HONORIFICS]
    pieces: list[tuple] = []
    for w in words:
        pieces.extend(_word_to_latin(w))
    forms: frozenset[str] = frozenset()
    letters = ""
    if kind not in _NO_LEGAL_FORM and script != "Arabic" and pieces:
        # legal forms: first on the punctuated text (S.A. DE C.V.), then on the word string (what is left)
        ascii_name = _APOSTROPHES.sub("", (cleaned if cleaned.isascii() else ascii_text(cleaned)).lower())
        kinds_read = _ENTERPRISE_KINDS.sub(_enterprise_kind, ascii_name)
        if kinds_read != ascii_name:
            ascii_name = kinds_read
            pieces = [(w, None) for w in _ascii_words(ascii_name)]
        stripped, forms, letters = _strip_forms(ascii_name, kind, edges)
        if forms:
            pieces = [(w, None) for w in _ascii_words(stripped)]
        stripped, more, more_letters = _strip_forms(" ".join(p[0] for p in pieces), kind, edges)
        if more:
            pieces = [(w, None) for w in _ascii_words(stripped)]
            forms = forms | more
            letters += more_letters
        for table, anywhere in ((_LEADING_FORMS, False), (_INNER_FORMS, True)):
            for words, form in table:
                at = _phrase_at(pieces, words, anywhere)
                if at >= 0:
                    del pieces[at:at + len(words)]
                    forms = forms | {form} if form else forms
                    letters = "".join(words) + letters
                    break
        for qualifier in _FORM_QUALIFIERS:  # S.A.L. (OFFSHORE): the qualifier is part of the legal form
            n = len(qualifier)
            if len(pieces) > n + 1 and pieces[-n - 1][0] in EXTRA_LEGAL_FORMS and tuple(
                p[0] for p in pieces[-n:]
            ) == qualifier:
                del pieces[-n:]
                letters = "".join(qualifier) + letters
                break
        # ... also before words that only say "company" (STARS GROUP SAL (HOLDING))
        end = len(pieces)
        while end > 1 and pieces[end - 1][0] in ORG_FILLERS:
            end -= 1
        while end > 1 and pieces[end - 1][0] in EXTRA_LEGAL_FORMS:
            end -= 1
            word = pieces.pop(end)[0]
            forms = forms | {EXTRA_LEGAL_FORMS[word]}
            letters = word + letters
        if all([_PINYIN.match(p[0]) for p in pieces]):  # a Chinese company's name in pinyin
            pieces, more, more_letters = _pinyin_company(pieces)
            forms, letters = forms | more, more_letters + letters
    return pieces, forms, letters


def _pinyin_company(pieces: list[tuple]) -> tuple[list[tuple], frozenset[str], str]:
    """A name written in pinyin: its legal form (`PINYIN_LEGAL_FORMS`) taken out, its line of business read in
    English (`CHINESE_BUSINESS_WORDS`)."""
    forms: frozenset[str] = frozenset()
    letters = ""
    for words, form in PINYIN_LEGAL_FORMS:
        n = len(words)
        if len(pieces) > n and tuple([p[0] for p in pieces[-n:]]) == words:
            pieces, forms, letters = pieces[:-n], frozenset((form,)), "".join(words)
            break
    if any([p[0] in CHINESE_BUSINESS_WORDS for p in pieces]):
        pieces = [(w, None) for p in pieces for w in CHINESE_BUSINESS_WORDS.get(p[0], p[0]).split()]
    return pieces, forms, letters


def prepare(text: str, kind: str | None = None) -> Prepared:
    """Normalise one name. `kind` is the entity kind (person / organization / vessel / aircraft) when known:
    legal forms are only taken out of non-person names, honorifics only out of person (or unknown) names."""
    return readings(text, kind)[0]


@lru_cache(maxsize=16384)
def readings(text: str, kind: str | None = None) -> tuple[Prepared, ...]:
    """The ways one name reads: `prepare`'s, and for a person's SURNAME, ABDUL (a bare ABD form after the one
    comma) also the reading that leaves the two apart. `prepare` joins them, as the name ABDUL SURNAME split
    around the comma (HAQ, Abdul is Abdul Haq); but ABDUL may be the given name, or a misspelling of one (ABUL),
    and the joined word then matches nothing the list writes. Both readings are indexed and looked up; the better
    scores."""
    joined, across_comma = _prepare(text, kind, True)
    return (joined, _prepare(text, kind, False)[0]) if across_comma and kind == _PERSON else (joined,)


def query_readings(text: str) -> tuple[Prepared, ...]:
    """A person query's readings (`readings`), and one more when an ABD was joined to the name's last word, with
    a word before it and no comma: that word may be a surname written after the given names (Karim Abdul SURNAME,
    no name ABD is the servant of), so the reading with ABD left apart is scored too. Queries only: listed names
    are written SURNAME, Given."""
    out = readings(text, _PERSON)
    if "," in text.rstrip(" ,"):  # SURNAME, Given: the last word is a given name
        return out
    first = out[0]
    words = [t for t in first.tokens if not t.particle]  # a given name before ABD SURNAME
    if len(words) >= 2 and words[-1].text.startswith("abd") and len(words[-1].text) > 3:
        apart = _prepare(text, _PERSON, True, join_abd_last=False)[0]
        if [t.text for t in apart.tokens] != [t.text for t in first.tokens]:
            return (*out, apart)
    return out


# A ship's prefix written with a slash or dots (M/V, M.V., M/T: motor vessel, motor tanker) marks a vessel's name
# even when the query gives no kind; the bare forms (MV, MT, SS, THE) only a name known to be a vessel's or an
# aircraft's (rigour's object-name prefixes: `remove_obj_prefixes`). Lists write vessels' names without them.
_SHIP_PREFIX = re.compile(r"^\W*m\s*[./]\s*[vt]\b\.?\s+", re.IGNORECASE)


def _without_object_prefix(cleaned: str, kind: str | None) -> str:
    if kind in _NO_LEGAL_FORM[1:]:
        out = remove_obj_prefixes(cleaned)
    elif kind is None:
        out = _SHIP_PREFIX.sub("", cleaned)
    else:
        return cleaned
    return out if out.strip() else cleaned


def _prepare(text: str, kind: str | None, join_across_comma: bool, join_abd_last: bool = True
             ) -> tuple[Prepared, bool]:
    """The name prepared, and whether a bare ABD after its one comma was joined across it to the surname.
    `join_abd_last`: an ABD before the name's last word is joined to it (see `query_readings`)."""
    cleaned, near_acronyms = _drop_acronyms(clean(text))
    cleaned = _without_object_prefix(cleaned, kind)
    if "&" in cleaned:
        cleaned = _AMP_ABBREVIATION.sub(lambda m: m.group(0).replace("&", ""), cleaned)
    script = dominant_script(cleaned)
    edges = _edge_name_words(cleaned) if kind not in _NO_LEGAL_FORM and cleaned.isascii() else (False, False)
    pieces, forms, form_letters = _pieces(cleaned, script, kind, edges)
    if kind != _PERSON and "." in cleaned and cleaned.isascii():
        # dotted initials read as one word (P.B. SADR / PB SADR, S.A.L. / SAL) when that explains the name as well
        undotted = _SPACE.sub(" ", _DOTTED.sub(_undot, cleaned)).strip()
        if undotted != cleaned:
            alt, alt_forms, alt_letters = _pieces(undotted, script, kind, edges)
            if alt and len(alt) <= len(pieces):
                pieces, forms, form_letters = alt, alt_forms, alt_letters
    if kind == _PERSON:
        pieces = _without_titles(pieces, cleaned)
    pieces = [p for p in _join_abd(_split_abu_article(pieces), join_abd_last) if p[0]]
    given_at = -1
    joined = False
    if cleaned.count(",") == 1 and len(pieces) > 1:
        if _is_abd(pieces[-1][0], pieces[-1][1]):
            if join_across_comma:
                pieces = _join_abd_across_comma(pieces)
                joined = True
            else:
                pieces[-1] = ("abd", *pieces[-1][1:])  # the particle, however spelt (ABDUL, ABDUR)
        if kind == _PERSON and not joined:
            surname = [p for p in _join_abd(_split_abu_article(_without_titles(_pieces(cleaned.split(",")[0], script, kind, (False, False))[0], cleaned)))
                       if p[0]]
            if 0 < len(surname) < len(pieces) and [p[0] for p in surname] == [p[0] for p in pieces[: len(surname)]]:
                given_at = len(surname)
    if kind in _NO_LEGAL_FORM[1:] and len(pieces) > 1 and pieces[-1][0] in _ROMAN:
        # a ship's or aircraft's last word in Roman numerals is its number: SEA STAR II is SEA STAR 2
        pieces[-1] = (_ROMAN[pieces[-1][0]], *pieces[-1][1:])
    tokens = tuple(make_token(number_word(american_spelling(p[0])), *p[1:]) for p in pieces)
    if kind != _PERSON:
        tokens = tuple(_as_filler(t) if t.text in ORG_FILLERS or t.text in near_acronyms else t for t in tokens)
    if kind is None:
        tokens = _edge_titles_as_fillers(tokens)
    content = [t for t in tokens if not t.particle and not t.number]
    is_korean = 1 <= len(content) <= 4 and all(korean.looks_korean(t.text) for t in content)
    numbers = frozenset(t.text for t in tokens if t.number)
    # a number word is fused as written (BLUE ONE / BLUEONE), not as the number it reads as
    spelt = [make_token(p[0], *p[1:]) if t.number and t.text != p[0] else t for t, p in zip(tokens, pieces, strict=True)]
    fused = tuple(fuse(a, b) for a, b in zip(spelt, spelt[1:], strict=False))
    syllabic = bool(content) and (
        all(_PINYIN.match(t.text) for t in content)
        or (is_korean and len(content) >= 2 and any(korean.one_syllable(t.text) for t in content))
    )
    return Prepared(
        text=text, tokens=tokens, forms=forms, form_letters=form_letters, script=script, korean=is_korean, numbers=numbers, fused=fused,
        syllabic=syllabic, person=kind == _PERSON, given_at=given_at,
    ), joined  # fmt: skip


def _without_titles(pieces: list[tuple], text: str) -> list[tuple]:
    """A person's name (`text`) without its honorifics (unless nothing else would be left): words of their own,
    not parts of a hyphenated name (the GEN of KANG-GEN is no general). A word read from Arabic script is never a
    Latin title: عمر (Umar) reads "mr", عامر (Amir) too; Arabic titles are taken out before transliteration
    (ARABIC_HONORIFICS)."""
    hon = honorifics()
    named = set()  # the pieces of hyphenated words
    if "-" in text:
        for word in text.split():
            if "-" in word:
                named.update(p[0] for p in _word_to_latin(word))
    kept = [p for p in pieces if p[0] not in hon or p[0] in named or (len(p) > 1 and p[1] is not None)]
    return kept if kept and any(p[0] not in PARTICLES for p in kept) else pieces


def _edge_titles_as_fillers(tokens: tuple[Token, ...]) -> tuple[Token, ...]:
    """A name of unknown kind, read as an organisation's: titles before it and generational suffixes after it (Dr.
    X TRADING, X LLC Jr.) weigh like fillers, since the name may be a person's; titles inside it or after it
    (KOREA GENERAL TRADING, X ZINC GENERAL) stay words."""
    out = list(tokens)
    n = len(out)
    for step, hon in ((1, honorifics()), (-1, GENERATIONAL_SUFFIXES)):
        i = 0 if step == 1 else n - 1
        while 0 <= i < n and (out[i].particle or (out[i].text in hon and not out[i].cross)):
            if not out[i].particle:
                out[i] = _as_filler(out[i])
            i += step
    return tuple(out) if any(not t.particle for t in out) else tokens


_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_PINYIN = re.compile(f"(?:{_PINYIN_SYLLABLE}){{1,3}}$")
_ONE_PINYIN = re.compile(f"{_PINYIN_SYLLABLE}$")


def one_syllable(text: str) -> bool:
    """A romanised word of one Chinese (pinyin) or Korean syllable: a name in its own right (Wang, Kim, Ming), not
    a spelling of a longer one."""
    return bool(_ONE_PINYIN.match(text)) or korean.one_syllable(text)


def pinyin_like(text: str) -> bool:
    """A word that reads as one to three pinyin syllables (Shilin, Xiaoming; also some others: Anna)."""
    return bool(_PINYIN.match(text))


def normalize_text(text: str) -> str:
    """The normalised comparison form of a name (idempotent): lower-case ASCII tokens joined by spaces."""
    return " ".join(t.text for t in prepare(text).tokens)
