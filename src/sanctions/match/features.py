"""Comparison: pure functions from (query, candidate) to a score in [0, 1] with a per-feature explanation.

The score is the name similarity (a weighted, order-free alignment of the two token bags) plus a declarative list
of named features (`FEATURES`), each returning a value in [-1, 1] and a one-line explanation; its weight lives in
`MatchSettings.weights`. `score_pair()` is the cheap hot-path form (numbers only); `explain()` rebuilds the same
score with the explanation, and is only called for the results that are returned.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Prefix
from rigour.territories import lookup_territory

from sanctions.match.korean import looks_korean
from sanctions.match.korean import one_syllable as korean_one_syllable
from sanctions.match.name_table import BODY, NICKNAME, ORG_SYMBOL, PAIR_SYMBOL, NameTable
from sanctions.match.normalize import (
    ARABIC_END_MARKS,
    ORG_FILLERS,
    PARTICLE_SPELLINGS,
    SKELETON_READINGS,
    SLAVIC_PATRONYMIC_ENDINGS,
    Prepared,
    Token,
    collapse_doubles,
    final_vowel_h,
    honorifics,
    latin_skeleton,
    latin_slots,
    make_token,
    ocr_key,
    one_syllable,
    pinyin_like,
    prepare,
    query_readings,
    same_skeleton,
    skeleton_readings,
    vowels_dropped,
)
from sanctions.match.settings import DEFAULT, MatchSettings
from sanctions.model import AIRCRAFT, PERSON, VESSEL, WEAK, Entity

# ---------------------------------------------------------------------------------------------------------------
# Tokens


def token_sim(
    q: Token, c: Token, korean: bool = False, s: MatchSettings = DEFAULT, names: NameTable | None = None
) -> float:
    """Similarity of two tokens in [0, 1]: edit distance, floored by the phonetic / transliteration channels and,
    given a name table (`name_table`), by person names (or lines of business, places) rigour knows as one."""
    return _token_sim(q, c, korean, s, names or _NO_NAMES)


# Token-pair similarity cache, one row per query token (its `_query_key`): {listed token uid << 1: similarity}.
# Int keys and float values, so no row is ever tracked by the cyclic GC (an lru_cache of a million entries makes
# every full collection a ~1 s pause) and no key hashes a dataclass; a query token's row is small and read ~30
# times a query, so its lookups stay in the processor's cache where one table of millions of pairs did not.
_SIM_CACHES: dict[int, tuple[MatchSettings, dict[int, dict[int, float]], list[int]]] = {}
_SIM_CACHE_MAX = [1 << 21]  # entries; a batch worker sets less (`set_sim_cache_limit`): it trades little speed


def set_sim_cache_limit(entries: int) -> None:
    _SIM_CACHE_MAX[0] = entries


def _sim_cache(s: MatchSettings) -> tuple[dict[int, dict[int, float]], list[int]]:
    """The rows of `s`'s similarity cache and its entry count (a one-item list the caller adds to); emptied when
    the count passes the limit."""
    hit = _SIM_CACHES.get(id(s))
    if hit is None or hit[0] is not s:
        hit = _SIM_CACHES[id(s)] = (s, {}, [0])
    if hit[2][0] > _SIM_CACHE_MAX[0]:
        hit[1].clear()
        hit[2][0] = 0
    return hit[1], hit[2]


def _token_sim(q: Token, c: Token, korean: bool, s: MatchSettings, names: NameTable) -> float:
    rows, filled = _sim_cache(s)
    qn = names.get(q.text)
    key = _query_key(q, qn, korean)
    row = rows.get(key)
    if row is None:
        row = rows[key] = {}
    v = row.get(c.uid << 1)
    if v is None:
        v = row[c.uid << 1] = _token_sim_raw(q, c, korean, s, qn, names.get(c.text) if qn else None)
        filled[0] += 1
    return v


def _query_key(q: Token, qn: frozenset[str] | None, korean: bool) -> int:
    """The query token's similarity-cache row: its uid, whether the name table knows it (a listed token's names are
    rigour's, whatever the index; a query token's are known only to an index that lists the word too) and the
    Korean flag."""
    return q.uid << 2 | (_NAMED if qn else 0) | korean


_NAMED = 2  # a similarity-cache row's bit for a query word the name table knows


def _token_sim_raw(
    q: Token, c: Token, korean: bool, s: MatchSettings, qn: frozenset[str] | None = None,
    cn: frozenset[str] | None = None,
) -> float:
    if q.text == c.text and q.cross == c.cross:  # (Arabic script against a Latin word without vowels: HMS / حماس)
        return 1.0
    if q.number or c.number:
        return 1.0 if q.ocr == c.ocr else 0.0
    if q.particle and c.particle and PARTICLE_SPELLINGS.get(q.text, q.text) == PARTICLE_SPELLINGS.get(c.text):
        return 1.0  # one Arabic particle spelt two ways (AR / AL, BEN / BIN)
    if q.cross or c.cross:  # one side was written without vowels: compare consonant skeletons only
        sim = _cross_sim(q, c, s)
        latin, arabic = (c, q) if q.cross else (q, c)
        if sim < 1.0 and not latin.cross and _HARD_C.search(latin.text):
            # a hard c may be a c-cedilla with its mark lost (the French ç for ص): read it as s too
            sim = max(sim, _cross_sim(arabic, make_token(_HARD_C.sub("s", latin.text)), s))
        if (sim < s.sim_cross_script and not latin.cross and "h" in arabic.skel
                and _TWO_LETTER_DIGRAPH.search(latin.text)):
            # a Latin dh / th may write two letters, d or t then h, where the skeleton read one (ذ / ث): ABD and
            # HAKIM joined (Abdelhakim / عبدالحكيم), an Urdu aspirate (Pathan / پٹھان), a d before ح (Madhat / مدحت)
            no_h = make_token(arabic.text, arabic.skel.replace("h", ""), arabic.vslots.replace("h", ""))
            sim = max(sim, _cross_sim(no_h, latin, s))
        if sim < s.sim_cross_script and not latin.cross and final_vowel_h(latin.text):
            # a final -ah / -eh writes a ta marbuta or heh (Fatimah / فاطمة), or the consonant ح (Falah / فلاح):
            # read it doubled, a consonant, too
            sim = max(sim, _cross_sim(arabic, make_token(latin.text + "h"), s))
        return sim
    lq, lc = len(q.text), len(c.text)
    if lq == 1 or lc == 1:
        short, long_ = (q.text, c.text) if lq <= lc else (c.text, q.text)
        return s.sim_initial if long_.startswith(short) else 0.0
    sim = _latin_sim(q, c, korean, lq, lc, s)
    # (every patronymic ends in h or a: -ich, -ych, -itch, -na)
    if sim >= s.min_token_sim and max(lq, lc) > 6 and (q.text[-1] in "ah" or c.text[-1] in "ah"):
        qp, cp = _slavic_patronymic(q.text), _slavic_patronymic(c.text)
        if qp and cp and _fathers_apart(q.text, c.text, s):
            return 0.0
        if qp != cp and _named_after(*((c.text, q.text) if qp else (q.text, c.text))):
            # a patronymic against the name it is formed from (EVGENY / EVGENYEVICH, a father against his son's
            # name) or a surname formed alike (PETROV / PETROVICH): its letters alone count, not the shared stem
            sim = min(sim, OSA.normalized_similarity(q.text, c.text))
    if s.sim_abd_dropped and sim < s.sim_abd_dropped and abs(lq - lc) == 3 and _abd_dropped(q.text, c.text):
        sim = s.sim_abd_dropped
    if qn and cn and sim < s.sim_name_equivalent:
        # one given name in two languages (MIKHAIL / MICHAEL) or a nickname (WILLIAM / BILL)
        sim = max(sim, _name_equivalent(q.text, c.text, qn, cn, s))
    return sim


# An East Slavic patronymic: the father's name, then the suffix (SERGEY-EVICH, OLEG-OVNA, MYKOLA-IVNA, PETR-OVYCH)
_SLAVIC_PATRONYMIC = re.compile(rf"[yi]?(?:{SLAVIC_PATRONYMIC_ENDINGS})$")


def _slavic_patronymic(word: str) -> bool:
    return len(word) > 6 and _SLAVIC_PATRONYMIC.search(word) is not None


def _named_after(word: str, patronymic: str) -> bool:
    """`word` the father's name `patronymic` is formed from, or a surname formed from it alike: EVGENY, EVGENIY /
    EVGENYEVICH, PETROV / PETROVICH (not a patronymic spelt otherwise: IGRVCH / IGOREVICH)."""
    father = patronymic[: _SLAVIC_PATRONYMIC.search(patronymic).start()]
    return word.startswith(father) and len(word) - len(father) <= 2


def _fathers_apart(a: str, b: str, s: MatchSettings) -> bool:
    """Two East Slavic patronymics (`_slavic_patronymic`, both) whose fathers' names are not alike: OLEGOVICH /
    BORISOVICH share a suffix, not a father (two people), where HRYHORIYOVYCH / GRIGORYEVICH name one father in two
    romanisations."""
    ma, mb = _SLAVIC_PATRONYMIC.search(a), _SLAVIC_PATRONYMIC.search(b)
    fa, fb = a[: ma.start()], b[: mb.start()]
    return _latin_sim(make_token(fa), make_token(fb), False, len(fa), len(fb), s) < s.min_token_sim


def _abd_dropped(a: str, b: str) -> bool:
    """One word the other's theophoric name without its ABD (RAHIM / ABD AL-RAHIM: the servant of the Merciful
    called by the divine name alone), the name four letters at least."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return len(short) >= 4 and long_.startswith("abd") and long_[3:] == short


_HARD_C = re.compile(r"c(?![hk])")
_TWO_LETTER_DIGRAPH = re.compile("[dt]h")
# the variants below (one letter, an inflection of at most four letters on a word of four, a folded spelling) leave
# at least this optimal-string-alignment similarity: below it, none is tried
_VARIANT_MIN_SIM = 0.5
# Spellings of one transliterated sound: ou / oo / u (Mourad / Murad), ee / i, the Russian ending -ий as -iy / -ii /
# -ij / -y / -i (Gorkiy / Gorky, Georgiy / Georgi), a first е as ye / e (Yelena / Elena), кс as ks / x (Maksim /
# Maxim), х as kh / h, дж as dzh / j and ж as zh / j (Dzhamalov / Jamalov), the diphthong ay as ai / ei / ey, aw
# before a long u with its w written or not (Dawood / Dawud, Tawoos / Taus), an Arabic or Persian n before b as it
# is said, m (iqlab: Junblat / Jumblatt), and a doubled letter for a single one (Haddad / Hadad: Arabic shadda)
_FOLD_DIGRAPHS = re.compile(r"^ye|aw(?:ou|oo|u)|ou|oo|ee|kh|ks|ai|ei|ey|uw|mb|d?zh|iy+(?:ah|eh|a|e)$|(?:iy|ii|ij|yi|yy|i)$")
_FOLD_DIGRAPH = {"ye": "e", "ou": "u", "oo": "u", "ee": "i", "kh": "h", "ks": "x", "ai": "ay", "ei": "ay", "uw": "w",
                 "ey": "ay", "iy": "y", "ii": "y", "ij": "y", "yi": "y", "yy": "y", "i": "y", "dzh": "j", "zh": "j",
                 "mb": "nb", "awou": "au", "awoo": "au", "awu": "au"}  # fmt: skip


def _fold_digraph(m: re.Match) -> str:
    text = m.group(0)
    return _FOLD_DIGRAPH.get(text) or "iya"  # the Arabic ending -iyya (ية): -iyah, -iya, -iye, -iyeh


@lru_cache(maxsize=65536)
def somali_fold(text: str) -> str:
    """A name in the Somali Latin alphabet (1972) as other romanisations write it: C is the ain (ع), which they
    leave out before a vowel (CUMAR / UMAR), and X is the ha (ح), written h (XUSEEN / HUSEEN)."""
    if len(text) > 2 and text[0] == "c" and text[1] in "aeiou":
        text = text[1:]
    return text.replace("x", "h")


@lru_cache(maxsize=65536)
def spelling_fold(text: str) -> str:
    return collapse_doubles(_FOLD_DIGRAPHS.sub(_fold_digraph, text))


def _cross_sim(q: Token, c: Token, s: MatchSettings) -> float:
    """Arabic-script against Latin (or Arabic) spelling: consonant skeletons (the best of their readings), the
    long vowels fitting."""
    lq, lc = len(q.skel), len(c.skel)
    same = same_skeleton(q.skel, c.skel)
    if lq < 2 or lc < 2:
        if not (same and lq == 1 and len(q.text) > 1 and len(c.text) > 1) or _onset_unwritten(q, c):
            return 0.0
        return s.sim_cross_short
    if min(lq, lc) == 2:
        sim = s.sim_cross_short if same else 0.0
    elif same:
        sim = s.sim_cross_script
    else:
        sim = s.sim_cross_script * max(
            OSA.normalized_similarity(a, b) for a in skeleton_readings(q.skel) for b in skeleton_readings(c.skel)
        )
    if sim and not _vowels_fit(q, c):
        sim *= s.cross_vowel_mismatch
    return sim


def _onset_unwritten(q: Token, c: Token) -> bool:
    """A Latin word's first w or y before a vowel, a consonant the skeleton (which reads w / y as the long vowels)
    leaves out, missing from the Arabic-script word it is compared with. In a one-consonant skeleton that is half
    the word: WALI is no spelling of علي (ALI) or of الله. (The reverse is no evidence: an Arabic first و is
    often written as a vowel, عوادي / AOUADI.)"""
    latin, arabic = (q, c) if c.cross else (c, q)
    text = latin.text
    if latin.cross or len(text) < 2 or text[0] not in "wy" or text[1] not in "aeiou":
        return False
    return not arabic.text.startswith(text[0])


def _vowel_runs(text: str) -> int:
    """How many runs of vowels the word has (KONSALTING: 3)."""
    return len(_VOWEL_RUN.findall(text))


_VOWEL_RUN = re.compile("[aeiou]+")


@lru_cache(maxsize=65536)
def _vowel_shape(text: str) -> str:
    """A Latin word as consonant classes with each vowel run as one "a" (KONSALTING / CONSULTING: kanzalting)."""
    return "".join(["a" if run[0] in "aeiouwy" else run for run in latin_slots(text)])


def _latin_sim(q: Token, c: Token, korean: bool, lq: int, lc: int, s: MatchSettings) -> float:
    sim = OSA.normalized_similarity(q.text, c.text)
    boost = 0.0
    if lq > 2 and lc > 2 and q.meta and q.meta == c.meta:
        boost = s.boost_metaphone
    if q.skel == c.skel and len(q.skel) >= 3:
        boost = max(boost, s.boost_skeleton)
    sim += (1.0 - sim) * boost
    if (
        s.sim_long_skeleton and sim < s.sim_long_skeleton and q.skel == c.skel and len(q.skel) >= s.long_skeleton_min
        and _vowel_shape(q.text) == _vowel_shape(c.text)
    ):
        # a long word's consonants, all of them, in order, and vowels in the same places: which vowels is the
        # transliteration's (KONSALTING / CONSULTING, PRODAKT / PRODUCT)
        sim = s.sim_long_skeleton
    elif (0 < s.long_skeleton_vowels_min <= len(q.skel) and sim < s.sim_long_skeleton_vowels and q.skel == c.skel
          and _vowel_runs(q.text) >= 2 and _vowel_runs(c.text) >= 2):
        # six consonants or more, all of them in order, with the vowels of two romanisations (Ukrainian and
        # Russian: VOLODYMYROVYCH / VLADIMIROVICH); not a word written without its vowels (MHMMDRZ)
        sim = s.sim_long_skeleton_vowels
    if korean and q.kfold == c.kfold and looks_korean(q.text) and looks_korean(c.text):
        sim = max(sim, s.sim_korean)
    if q.ocr == c.ocr:
        sim = max(sim, s.sim_ocr)
    elif sim >= _VARIANT_MIN_SIM and min(lq, lc) >= 4:  # spellings of one word: never further apart than this
        if s.sim_letter_variant and lq == lc and _letter_variant(q.text, c.text, s.letter_variants_two_min):
            sim = max(sim, s.sim_letter_variant)
        elif (0 < s.transposed_min <= lq == lc and sim < s.sim_transposed and sorted(q.text) == sorted(c.text)
              and OSA.distance(q.text, c.text, score_cutoff=1) == 1):
            sim = s.sim_transposed  # two letters side by side, each typed in the other's place (HLAVORSEN)
        elif s.sim_inflection and 0 < abs(lq - lc) <= 6 and _inflected(q.text, c.text):
            sim = max(sim, s.sim_inflection)
        elif s.sim_spelling_fold and spelling_fold(q.text) == spelling_fold(c.text):
            sim = max(sim, s.sim_spelling_fold)
        elif s.sim_folded_variant and _folded_variant(q.text, c.text, s.letter_variants_two_min):
            sim = max(sim, s.sim_folded_variant)
        elif s.sim_cognate and min(lq, lc) >= s.cognate_min_stem and _cognates(q.text, c.text, s):
            sim = max(sim, s.sim_cognate)
        elif 0 < s.letters_moved_min <= lq == lc and q.text[:3] == c.text[:3] and sorted(q.text) == sorted(c.text):
            sim = max(sim, s.sim_letters_moved)
        elif s.sim_keyboard_slip and lq == lc and _keyboard_slip(q.text, c.text):
            sim = max(sim, s.sim_keyboard_slip)
    elif (min(lq, lc) == 3 and q.text[0] == c.text[0] and s.sim_spelling_fold
          and spelling_fold(q.text) == spelling_fold(c.text)):
        # a three-letter word and its longer spelling, one first letter (NUR / NOUR, DIN / DEEN, BUT / BOUT: the
        # Cyrillic у read the French way); not KHAN / HAN, one a fold away but no spelling of the other
        sim = max(sim, s.sim_spelling_fold)
    if (
        _EAST_SLAVIC_MIN_SIM <= sim < s.sim_east_slavic and min(lq, lc) >= 4 and _east_slavic_pair(q.text, c.text)
    ):
        sim = s.sim_east_slavic
    if sim < s.sim_spelling_fold and max(lq, lc) >= 4 and ("c" in (q.text[0], c.text[0]) or "x" in q.text + c.text):
        sq, sc = somali_fold(q.text), somali_fold(c.text)
        if (sq != q.text or sc != c.text) and min(len(sq), len(sc)) >= 3 and spelling_fold(sq) == spelling_fold(sc):
            sim = s.sim_spelling_fold
    if (korean and sim > s.korean_syllable_max and q.kfold != c.kfold and korean_one_syllable(q.text)
            and korean_one_syllable(c.text)):
        # every romanisation of one syllable shares its key: two keys are two hangul (강 KANG / 공 KONG), however
        # few letters apart
        sim = s.korean_syllable_max
    if sim > s.gender_pair_max and _gender_pair(q.text, c.text):
        sim = s.gender_pair_max
    # a listed code of three letters (EP-LDC) is no abbreviation of a query word (LADECK); a query's can be (MHD)
    if q.text[0] != c.text[0]:
        return sim
    if s.sim_vowels_dropped and sim < s.sim_vowels_dropped and _vowels_dropped(q.text, c.text):
        sim = s.sim_vowels_dropped  # the listed word with its inner vowels left out: the consonants all there
    elif _abbreviates(q.text, c.text) or (len(c.text) >= 4 and _abbreviates(c.text, q.text)):
        # the same consonants with the vowels left out (MHMMD / MOHAMMED) vs an abbreviation (SHPG / SHIPPING)
        sim = max(sim, s.sim_vowel_drop if q.skel == c.skel else s.sim_abbreviation)
    elif sim < s.sim_abbreviation and _truncates(q.text, c.text, s.truncation_min_letters):
        sim = s.sim_abbreviation  # a word cut short (TRANS / TRANSPORTATION, CONST / CONSTRUCTION)
    return sim


def _truncates(a: str, b: str, min_letters: int) -> bool:
    """One word is the other's first `min_letters` letters or more (0: never), the other three letters longer at
    least."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return 0 < min_letters <= len(short) and len(long_) >= len(short) + 3 and long_.startswith(short)


# Person names across languages: rigour's name symbols for the listed words, computed once per index
# (`sanctions.match.name_table`); a query word is looked up in the index's table.
_NO_NAMES: NameTable = {}


def _name_equivalent(a: str, b: str, names_a: frozenset[str], names_b: frozenset[str], s: MatchSettings) -> float:
    """How alike two words with these name symbols are: `sim_name_equivalent` when they share a name (one name in
    two languages), `sim_nickname` when only a nickname, `sim_org_symbol` when only a line of business, kind of
    body or place, else 0. Two words that both read as pinyin are Chinese names, which the table links too loosely
    (SHILIN / ZHILIN); not so our own pairs (OLENA / YELENA)."""
    shared = names_a & names_b
    if not shared or (pinyin_like(a) and pinyin_like(b) and not any([x.startswith(PAIR_SYMBOL) for x in shared])):
        return 0.0
    if any([not x.startswith((NICKNAME, ORG_SYMBOL)) for x in shared]):
        return s.sim_name_equivalent
    return s.sim_nickname if any([x.startswith(NICKNAME) for x in shared]) else s.sim_org_symbol


def _vowels_fit(q: Token, c: Token) -> bool:
    """Arabic script writes the long vowels: each must appear, in order, in the Latin spelling as a vowel of its
    kind (Saidi is no spelling of صيداوي: its waw and alef are missing). And the word ends must agree (`_END_FITS`):
    a Latin spelling ending in i / y ends an Arabic word with yeh (Hamdi / حمدي, not Sa'adi / السادة), in o / u with
    waw or heh (Hebo / الحبو, Abdou / عبده), in a with alef, yeh (Bouyahia / بويحي), ta marbuta or heh, never after
    a consonant (Mayorova is no spelling of معروف); a lone final e writes no yeh or waw (Hacene / حسني) but may be
    silent (Lamine / الأمين); and an Arabic final long vowel is written (Ali / علي)."""
    a, b = (q, c) if q.vslots else (c, q)
    if not a.vslots or b.vslots:
        return True
    items = latin_slots(b.text)
    it = iter(items)
    shared = ""  # the Latin vowel run the previous slot used: يا / ya, two slots in one run
    for ch in a.vslots.translate(_NO_END_MARKS):
        fits = _SLOT_FITS.get(ch)
        if fits is None:  # a consonant class (of one or two readings)
            shared = ""
            reads = SKELETON_READINGS.get(ch, ch)
            if not any(x in reads for x in it):
                return False
        elif not (shared and any(v in fits for v in shared)):
            for x in it:
                if x[0] in _LATIN_VOWELS and any(v in fits for v in x):
                    shared = x
                    break
            else:
                return False
    end = a.vslots[-1] if a.vslots[-1] in ARABIC_END_MARKS else ""
    last = items[-1] if items else ""
    if not last or last[0] not in _LATIN_VOWELS:
        return end not in ("A", "I", "U", "E")
    if last == "e":
        return end in ("", ".", "A", "E")
    return bool(end) and any(end in _END_FITS[v] for v in last)


_NO_END_MARKS = str.maketrans("", "", ARABIC_END_MARKS)
_LATIN_VOWELS = frozenset("aeiouwy")
# an Arabic long-vowel slot -> the Latin vowels that can write it ("V": a word-initial alef, any vowel)
_SLOT_FITS = {"1": "aeo", "2": "iye", "3": "ouw", "V": "aeiouwy"}
# a Latin final vowel -> the Arabic word ends it can write
_END_FITS = {"i": "IE", "y": "IE", "o": "U.E", "u": "U.E", "w": "U", "a": "AI.E", "e": "AI.E"}


_VOWEL_SET = frozenset("aeiou")


def _inflected(a: str, b: str) -> bool:
    """One word an English inflection of the other: the plural (TOOL / TOOLS, BRANCH / BRANCHES, FACTORY /
    FACTORIES), the -ing form (BUILD / BUILDING, PLAN / PLANNING), a place name's adjective (BRAZIL / BRAZILIAN) or
    a noun's in -al (POST / POSTAL)."""
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    stem = short[:-1]
    return (
        long_ in (short + "s", short + "es", short + "ing", short + short[-1] + "ing")
        or (short[-1] == "y" and long_ == stem + "ies")
        or (short[-1] == "e" and long_ == stem + "ing")
        # the adjective of a place name (BRAZIL / BRAZILIAN, NEPAL / NEPALI, KENYA / KENYAN, MALTA / MALTESE)
        or long_ in (short + "ian", short + "i")
        or (short[-1] == "a" and long_ in (short + "n", stem + "ese"))
        or _russian_adjective(short, long_)
        # an English noun's adjective in -al (POST / POSTAL, TERRITORY / TERRITORIAL)
        or (len(short) >= 4 and (long_ == short + "al" or (short[-1] in "ey" and long_ in (stem + "al", stem + "ial"))))
    )


def _cognates(a: str, b: str, s: MatchSettings) -> bool:
    """One word in two languages, sharing a long stem: UNIVERSITY / UNIVERSIDAD, CONSTRUCTION / CONSTRUCTORA, and
    so once double letters are written single (COMMISSION / COMISION, ACCESSORIES / ACCESORIOS)."""
    n = Prefix.similarity(a, b)
    long_stem = n >= s.cognate_min_stem and n >= s.cognate_min_share * min(len(a), len(b))
    if not long_stem and 0 < n < min(len(a), len(b)) and (a[n] == a[n - 1] or b[n] == b[n - 1]):
        a, b = collapse_doubles(a), collapse_doubles(b)  # parted at a double letter
        n = Prefix.similarity(a, b)
        long_stem = n >= s.cognate_min_stem and n >= s.cognate_min_share * min(len(a), len(b))
    return long_stem


def _gender_pair(a: str, b: str) -> bool:
    """A name's masculine and feminine forms: -o / -a (FAUSTINO / FAUSTINA), or -a added to a final consonant
    (KUZNETSOV / KUZNETSOVA). Two people: a wife is not her husband."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < 4:
        return False
    if len(short) == len(long_):
        return short[:-1] == long_[:-1] and {short[-1], long_[-1]} == {"a", "o"}
    return long_ == short + "a" and short[-1] not in "aeiouy"


# Russian adjectives of place names, as romanised (BGN/PCGN, GOST and the usual English forms): -skiy / -skii /
# -sky / -skaya / -skoye / -skoe, after -ov- / -ev- / -in- or none (SHATURA / SHATURSKIY, KAZAN / KAZANSKAYA)
_RU_ADJECTIVE = re.compile(r"(?:ov|ev|in)?sk(?:iy|ii|ij|y|aya|aia|oye|oe|oy|ogo)$")


def _russian_adjective(short: str, long_: str) -> bool:
    """The long word the adjective of the short one, a place name (SHATURA / SHATURSKIY): the place's stem, its
    final vowel dropped, then an adjective ending; or a place in -sk and its ending (BRYANSK / BRYANSKIY)."""
    m = _RU_ADJECTIVE.search(long_)
    if not m or m.start() < 5:  # (a short stem is a given name's: IVAN / IVANOVSKIY is a surname)
        return False
    stem = long_[: m.start()]
    return short == stem or (short[:-1] == stem and short[-1] in "aeiouy") or long_ in (short + "iy", short + "y")


# letters romanisations write for one sound: к as k / c / q, з as z / s, й / ي as y / i, в as v / w, and г as g
# in Russian, h in Ukrainian and Belarusian (HRYHORIY / GRIGORIY)
_LETTER_VARIANTS = str.maketrans("cqzywh", "kksivg")
_H_DIGRAPH_FIRST = frozenset("cdgkpstz")  # an h after these is part of a digraph (SH, KH, ZH ...), never г


# Belarusian and Ukrainian romanisations (BGN/PCGN) against Russian: дз (dz) where Russian has д, г as h, ў (u)
# where Russian has в (-АЎ / -ОЎ for -ОВ / -ЕВ): HRYHORY / GRIGORY, DZIANIN / DENIN, PETRAU / PETROV
_EAST_SLAVIC_MIN_SIM = 0.4  # spellings this far apart at least (vowels and consonants both differ)
_EAST_SLAVIC_FOLDED_MIN = 0.55  # ... and this alike once folded (HIENADZ / GENNADY: 0.57)
_EAST_SLAVIC_H = re.compile(r"(?<![cdgkpstz])h")
# ў: word-final (-AU, -OU) or before l (PAULAU / PAVLOV), and a first У before l (ULADZIMIR / VLADIMIR)
_EAST_SLAVIC_U = re.compile(r"(?<=[aeo])u(?=l|$)|^u(?=l)")


def east_slavic_fold(word: str) -> str:
    """The word as Russian romanisation would write its дз, г and ў (see above)."""
    return _EAST_SLAVIC_U.sub("v", _EAST_SLAVIC_H.sub("g", word.replace("dz", "d"))).replace("x", "ks")


def _east_slavic_pair(a: str, b: str) -> bool:
    """One name in Belarusian or Ukrainian and in Russian romanisation: consonants that differ as written are the
    same, three at least, once `east_slavic_fold`ed (the vowels differ too: akanye writes unstressed o as a, я as
    ia)."""
    fa, fb = east_slavic_fold(a), east_slavic_fold(b)
    if fa == a and fb == b:
        return False
    sa = latin_skeleton(fa)
    if sa != latin_skeleton(fb) or latin_skeleton(a) == latin_skeleton(b) or len(sa) < 2:
        return False
    if pinyin_like(a) and pinyin_like(b):  # (HENGLI / GANGLI: two Chinese names)
        return False
    if len(sa) == 2:  # two consonants only (IHAR / IGOR, ALEH / OLEG): the same but for akanye (a for o)
        return fa.replace("a", "o") == fb.replace("a", "o")
    # the vowels may differ, not all of them (not HONG, Jeonghui / HONG, Jinhua: two Korean or Chinese names)
    return OSA.normalized_similarity(fa, fb) >= _EAST_SLAVIC_FOLDED_MIN


def letter_variants_folded(word: str) -> str:
    """The word with each letter that romanisations write for one sound folded to one of them (`_LETTER_VARIANTS`):
    an index key under which letter variants meet (VOLFGAVEN / WOLFHAVEN)."""
    return word.translate(_LETTER_VARIANTS)


def _letters_apart(a: str, b: str) -> list[int]:
    """The positions where two words of one length have different letters."""
    return [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]


def _letter_variant(a: str, b: str, long_min: int) -> bool:
    """One letter apart (two in a word of `long_min` letters or more), each one sound written two ways (KARAT /
    CARAT, VOLGA / WOLGA, WOLFHAVEN / VOLFGAVEN back from Cyrillic); not in a digraph with h, which writes other
    sounds (SHILIN / ZHILIN: ш / ж, CH / KH: ч / х)."""
    diff = _letters_apart(a, b)
    if not diff or len(diff) > (2 if len(a) >= long_min > 0 else 1):
        return False
    for i in diff:
        if "h" in (a[i], b[i]) and i > 0 and a[i - 1] in _H_DIGRAPH_FIRST:
            return False
        if a[i + 1 : i + 2] == "h" or a[i].translate(_LETTER_VARIANTS) != b[i].translate(_LETTER_VARIANTS):
            return False
    return True


def _folded_variant(a: str, b: str, long_min: int) -> bool:
    """Letter variants (`_letter_variant`) once `spelling_fold`ed and the short vowels read as Arabic writes them
    (`_SHORT_VOWELS`), the folds having changed a word: two ways of spelling a transliteration at once (QADOURI /
    KADURI: ou / u, and ق as q or k; QADIR / KADER: i / e too)."""
    fa, fb = spelling_fold(a).translate(_SHORT_VOWELS), spelling_fold(b).translate(_SHORT_VOWELS)
    return (fa != a or fb != b) and len(fa) == len(fb) >= 4 and (fa == fb or _letter_variant(fa, fb, long_min))


def _qwerty_neighbours() -> frozenset[tuple[str, str]]:
    """The letter pairs side by side on a QWERTY keyboard (the US / ISO 9995 Latin layout): in one row, or a key
    and the two above it (the rows are staggered: A sits under Q and W, Z under A and S)."""
    rows = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    pairs = set()
    for r, row in enumerate(rows):
        for i, key in enumerate(row):
            near = [row[i + 1]] if i + 1 < len(row) else []
            if r:
                near += [k for k in rows[r - 1][i:i + 2]]
            for k in near:
                pairs.update(((key, k), (k, key)))
    return frozenset(pairs)


_QWERTY_NEIGHBOURS = _qwerty_neighbours()


def _keyboard_slip(a: str, b: str) -> bool:
    """Two words of one length one letter apart, the two letters neighbours on the keyboard: the commonest typing
    error (a finger on the next key: TECH typed TDCH, or TECG)."""
    diff = _letters_apart(a, b)
    return len(diff) == 1 and (a[diff[0]], b[diff[0]]) in _QWERTY_NEIGHBOURS


# Arabic has three short vowels, a, i and u, which romanisations write a, i or e, and u or o
_SHORT_VOWELS = str.maketrans("eo", "iu")


def _vowels_dropped(short: str, long_: str) -> bool:
    """`short` is `long_` with the vowels inside it left out (`vowels_dropped`): CRPRTVA / CORPORATIVA, GRPO /
    GRUPO. Three letters or more, and not one vowel out of a four-letter word (PSK is as likely an acronym as PASK
    written short). Only a query word so written: a listed acronym (NVR) is no short form of the query's NAVARO."""
    n = len(short)
    return 3 <= n < len(long_) and not (n == 3 and len(long_) == 4) and short in vowels_dropped(long_)


def _abbreviates(short: str, long_: str) -> bool:
    """SHPG / SHIPPING, INTL / INTERNATIONAL, MHMD / MUHAMMAD: same first letter, the short form's letters in
    order inside the long one, and no vowel but the first letter (so ordinary short words such as KOCH / KOACH or
    GRANT / GARANTIYA are not abbreviations)."""
    # (one letter off is a typo, handled by the edit distance)
    if len(short) < 3 or len(short) + 2 > len(long_) or short[0] != long_[0]:
        return False
    if any(ch in _VOWEL_SET for ch in short[1:]):
        return False
    it = iter(long_)
    return all(ch in it for ch in short)


def _fused_sim(q: Token, c: Token, korean: bool) -> float:
    """Similarity of a fused pair of tokens with one token: spelling only (plus the Korean fold)."""
    if q.text == c.text:
        return 1.0
    if korean and q.kfold == c.kfold:
        return 0.95
    if q.cross or c.cross:  # Arabic script: the consonant skeletons (Amanullah / امان الله)
        arabic = q if q.cross else c
        # four consonants at least, or three in a name with Allah (Amanullah / امان الله: two words in Arabic
        # script, one in Latin spellings)
        shortest = 3 if arabic.text.endswith(_ALLAH) else 4
        if len(q.skel) < shortest or not same_skeleton(q.skel, c.skel) or not _vowels_fit(q, c):
            return 0.0
        return CROSS_FUSED
    return OSA.normalized_similarity(q.text, c.text)


CROSS_FUSED = 0.95
_ALLAH = "llh"  # الله as transliterated word by word


# ---------------------------------------------------------------------------------------------------------------
# Names


@dataclass(slots=True)
class Alignment:
    score: float
    pairs: list[tuple[tuple[int, ...], tuple[int, ...], float]]  # (query token idx, candidate token idx, sim)
    unmatched_query: list[int]
    unmatched_candidate: list[int]
    conflict: str = ""  # another of the entity's names has a word of its own where the query has one (`conflict`)


def token_weight(tok: Token, idf: float, s: MatchSettings = DEFAULT) -> float:
    if tok.particle:
        return s.particle_weight
    if len(tok.text) == 1:
        return min(idf, s.initial_weight)
    return max(idf, s.min_weight)


_NSINGLE = 64
_SINGLE = tuple((i,) for i in range(_NSINGLE))  # shared one-index tuples for the alignment candidates


def align(
    q: Prepared,
    c: Prepared,
    wq: tuple[float, ...],
    wc: tuple[float, ...],
    s: MatchSettings = DEFAULT,
    names: NameTable | None = None,
    person_words: frozenset[str] = frozenset(),
) -> Alignment:
    """Order-free weighted alignment of two names' tokens; adjacent tokens may fuse (Abdul Rahman / Abdulrahman).

    score = sum(eff(sim) * w) / (sum(w) over aligned pairs + unmatched query weight * mu + unmatched listed weight
    * lambda), where eff() stretches imperfect similarities (1 - (1 - sim) * fuzzy_power) and lambda shrinks as the
    aligned tokens carry more information (a listed name with extra middle names still matches when what the
    query has is rare; it does not when what it has is common)."""
    qt, ct = q.tokens, c.tokens
    if not qt or not ct:
        return Alignment(0.0, [], list(range(len(qt))), list(range(len(ct))))
    korean = q.korean and c.korean
    names = names or _NO_NAMES
    floor = s.min_token_sim
    # only a long query can have been cut by a fixed-width field
    last = len(qt) - 1 if len(q.text) >= s.truncation_min_length else -1
    cands: list[tuple[float, int, tuple[int, ...], tuple[int, ...]]] = []
    rows, filled = _sim_cache(s)
    prefix_sim = s.sim_prefix
    cuids = c.uids
    nc_range = range(len(ct))
    kbit = 1 if korean else 0
    for i, a in enumerate(qt):
        qn = names.get(a.text) if names else None
        qkey = a.uid << 2 | (_NAMED if qn else 0) | kbit  # `_query_key`, inline
        row = rows.get(qkey)
        if row is None:
            row = rows[qkey] = {}
        get = row.get
        sims = [get(u) for u in cuids]
        if None in sims:
            for j in nc_range:
                if sims[j] is None:
                    cn = names.get(ct[j].text) if qn else None
                    sims[j] = row[cuids[j]] = _token_sim_raw(a, ct[j], korean, s, qn, cn)
                    filled[0] += 1
        if i == last and len(a.text) >= s.truncation_min_prefix:
            at = a.text
            for j in nc_range:  # the query's last word cut off by a fixed-width field
                if sims[j] < prefix_sim and ct[j].text.startswith(at):
                    sims[j] = prefix_sim
        qi = _SINGLE[i] if i < _NSINGLE else (i,)
        for j in nc_range:
            sim = sims[j]
            if sim >= floor:
                cands.append((sim, 1, qi, _SINGLE[j] if j < _NSINGLE else (j,)))
    min_fused = s.min_fused_sim
    if len(qt) > 1:
        clens = c.lens
        # (a fused pair a letter longer than the listed name's longest word or shorter than its shortest fits
        # none of them: no need to look, unless the pair is Arabic script or the names Korean)
        cshort, clong = c.len_range
        for i, fused in enumerate(q.fused):
            lf = len(fused.text)
            cross = fused.cross
            if not (cross or korean) and (lf > clong + 1 or lf < cshort - 1):
                continue
            for j, lb in enumerate(clens):
                if -1 <= lf - lb <= 1 or (lb > 0 and (cross or (korean and fused.kfold == ct[j].kfold))):
                    sim = _fused_sim(fused, ct[j], korean)
                    if sim >= min_fused:
                        cands.append((sim, 2, (i, i + 1), (j,)))
    if s.sim_initial_compound and len(qt) > 1:
        for i, a in enumerate(qt[:-1]):
            if len(a.text) == 1 and not a.number:
                _initial_compound(qt, ct, i, s.sim_initial_compound, cands)
    if len(ct) > 1:
        qlens = q.lens
        qshort, qlong = q.len_range
        for j, fused in enumerate(c.fused):
            lf = len(fused.text)
            if not (q.cross or korean) and (lf > qlong + 1 or lf < qshort - 1):
                continue
            for i, la in enumerate(qlens):
                a = qt[i]
                if -1 <= lf - la <= 1 or (la > 0 and (a.cross or (korean and fused.kfold == a.kfold))):
                    sim = _fused_sim(a, fused, korean)
                    if sim >= min_fused:
                        cands.append((sim, 2, (i,), (j, j + 1)))
    if len(ct) >= 3 and s.run_of_three_min:
        # a query word that is three listed words run together (EL FARO AZUL written as one, TRADE & INVEST as
        # TRADEANDINVEST); width 0 marks a pair of one word's weight
        for i, a in enumerate(qt):
            if len(a.text) >= s.run_of_three_min and not a.cross:
                j, sim = _run_of_three(a.text, ct, s.min_fused_sim)
                if j >= 0:
                    cands.append((sim, 0, (i,), (j, j + 1, j + 2)))
    if s.sim_acronym and not (q.person or c.person):
        # an acronym one side writes for words the other spells out (NRT / NORTHERN RIVER TRADING)
        acr = s.sim_acronym
        # (an acronym has a letter for each word it stands for: none longer than the other name's word count)
        longest = min(ACRONYM_MAX, len(ct))
        for i, a in enumerate(qt):
            if ACRONYM_MIN <= len(a.text) <= longest and not a.number:
                run = _acronym_run(a.text, ct)
                if run:
                    cands.append((acr, 0, (i,), run))
        longest = min(ACRONYM_MAX, len(qt))
        for j, b in enumerate(ct):
            if ACRONYM_MIN <= len(b.text) <= longest and not b.number:
                run = _acronym_run(b.text, qt)
                if run:
                    cands.append((acr, 0, run, (j,)))
    cands.sort(key=lambda x: (-x[0], -x[1]))
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    matched = 0.0
    mass = 0.0
    power = s.fuzzy_power
    nq, nc = len(qt), len(ct)
    for sim, width, qi, cj in cands:
        if width == 1:
            i, j = qi[0], cj[0]
            if i in used_q or j in used_c:
                continue
            used_q.add(i)
            used_c.add(j)
            w = wc[j]
            if len(qt[i].text) == 1:
                w = min(w, wq[i])
            elif sim < 1.0 and q.patronymic[i] and c.patronymic[j] and not (qt[i].cross or ct[j].cross):
                # two patronymics spelt apart (VASYLOVYCH / VASILYEVICH): weak evidence either way (an Arabic
                # nasab's names, across scripts, are not: they tell one man from his cousin)
                w *= s.patronymic_pair_weight
        else:
            if not (used_q.isdisjoint(qi) and used_c.isdisjoint(cj)):
                continue
            used_q.update(qi)
            used_c.update(cj)
            if width == 0:  # an acronym and its words, or three words run together: one word's worth
                w = max(max([wq[i] for i in qi]), max([wc[j] for j in cj]))
            else:
                w = sum([wc[j] for j in cj])
                if len(qi) > 1:
                    w = max(w, sum([wq[i] for i in qi]))
        pairs.append((qi, cj, sim))
        matched += (1.0 - (1.0 - sim) * power) * w if sim < 1.0 else w
        mass += w
        if len(used_q) == nq or len(used_c) == nc:
            break
    un_q = [i for i in range(len(qt)) if i not in used_q]
    un_c = [j for j in range(len(ct)) if j not in used_c]
    cost_q, cost_c = un_q, un_c  # the unmatched words that count against the match
    if un_q or (last >= 0 and un_c):
        cost_q, cost_c = _unmatched_that_count(q, c, qt, ct, pairs, un_q, un_c, last)
    shrink = max(s.unmatched_floor, 1.0 - mass / s.information_ref)
    # one kind of body written for another (X EXPORT AGENCY / X EXPORT ASSOCIATION, X CONSULTING FIRM / X
    # CONSULTING INSTITUTE): lists translate the kind of a body at will; no name put in place of another
    bodies = (
        s.body_for_body
        and cost_q and cost_c and names and not (q.person or c.person)
        and _bodies_only(qt, cost_q, names) and _bodies_only(ct, cost_c, names)
    )
    # two second surnames, the first surname and given name found: a married name in place of the mother's surname
    # (HERRADO DE ORVIETO, Estelvina / HERRADO TALAMANTE, Estelvina: a Spanish-speaking woman's husband's surname
    # after DE, which lists write for her mother's or beside it), or two given names found as well
    second_apart = bool(_second_surnames_apart(q, c, cost_q, cost_c, pairs, s))
    if (
        s.contained_discount < 1.0
        and (cost_q or cost_c)
        and _contained(q, c, qt, ct, cost_q, cost_c, pairs, s, wq, wc)
    ):
        shrink *= s.contained_discount
    elif (
        not (bodies or second_apart)
        and s.swap_unmatched_floor > shrink
        and any([not qt[i].particle for i in cost_q])
        and any([not ct[j].particle for j in cost_c])
    ):
        # a name on each side the other lacks: one name put in place of another (a different person / company)
        shrink = s.swap_unmatched_floor
    elif q.syllabic and c.syllabic and (cost_q or cost_c):
        # Korean / Chinese names have few, short tokens: a missing syllable group is another person
        shrink = max(shrink, s.syllabic_unmatched_floor)
    pw, pp = s.unmatched_particle, s.unmatched_patronymic
    qp, cp = q.patronymic, c.patronymic
    if (
        (True in qp or True in cp)
        and (any([qp[i] for i in cost_q]) or any([cp[j] for j in cost_c]))
        and any([not qt[i].particle for i in cost_q])
        and any([not ct[j].particle for j in cost_c])
    ):
        # a patronymic or nisba unaligned, the other side with a name of its own: two fathers, two origins, or a
        # father's name where the other has another name (IVANOV, Petr Sergeyevich / IVANOV, Petr Aleksei)
        pp = 1.0
    if s.unmatched_inner < 1.0 and cost_q and pairs and not any([not ct[j].particle for j in cost_c]):
        # the whole listed name found in the query, the query's extra words between its first and last matched
        # ones: a person's middle names (a father's and grandfather's in an Arabic nasab) lists leave out, a
        # word inserted in a company's name (BALTIC AMBER GLASS WORKS / BALTIC AMBER WORKS), weighed like a
        # patronymic; words added after the name (a branch, a place, another party's name) still cost in full
        lo = min([i for qi, _cj, _sim in pairs for i in qi])
        hi = max([i for qi, _cj, _sim in pairs for i in qi])
        # (not in a list of names: SMITH, BROWN AND TAYLOR names three partners, not one with a middle name)
        if any([lo < i < hi for i in cost_q]) and not any([qt[i].text == "and" for i in un_q]):
            # (lists, not generators reading locals: see Prepared)
            qp = tuple([p or lo < i < hi for i, p in enumerate(qp)])
            pp = min(pp, s.unmatched_inner)
    elif (
        s.inner_listed_min_tokens and c.person and "," not in c.text and cost_c and pairs
        and not any([not qt[i].particle for i in cost_q])
        and len(ct) - sum([t.particle for t in ct]) >= s.inner_listed_min_tokens
    ):
        # the whole query found in a long listed person's name in natural order (an Arabic nasab, four names or
        # more), its first and last names among them: the listed middle names weigh like a patronymic. Not in a
        # company's name, where the middle word is as often the one that tells it apart (NEW X EXCHANGE / NEW
        # EXCHANGE), nor in SURNAME, Given form, whose first and last words are no first and last names
        lo = min([j for _qi, cj, _sim in pairs for j in cj])
        hi = max([j for _qi, cj, _sim in pairs for j in cj])
        content = [j for j in range(len(ct)) if not ct[j].particle]
        if lo == content[0] and hi == content[-1]:
            cp = tuple([p or lo < j < hi for j, p in enumerate(cp)])
            pp = min(pp, s.unmatched_inner)
    if second_apart:
        # both second surnames weigh like middle names (and the DE before the husband's)
        qp = tuple([p or i in cost_q for i, p in enumerate(qp)])
        cp = tuple([p or j in cost_c for j, p in enumerate(cp)])
        pp = min(pp, s.unmatched_inner)
    elif (cost_q or cost_c) and (q.given_at > 0 or c.given_at > 0) and pairs and (
        not (q.script == "Arabic" or c.script == "Arabic") or _content_pairs(qt, pairs) >= s.contained_cross_min
    ):
        # SURNAME, Given Middle: the middle names one side lacks weigh like a patronymic (lists give or leave out a
        # second given name, a nasab's father and grandfather), when the surname and first given name are found
        # and the other side has no word of its own, not even a patronymic (two people). Against Arabic script,
        # whose skeletons match loosely, only with as many words aligned as a contained name needs.
        if c.given_at > 0 and cost_c and not any([not qt[i].particle for i in cost_q]):
            middle = _middle_names(c, [j for _qi, cj, _sim in pairs for j in cj], s.second_surnames)
            if middle:
                cp = tuple([p or m for p, m in zip(cp, middle, strict=True)])
                pp = min(pp, s.unmatched_inner)
        if q.given_at > 0 and cost_q and not any([not ct[j].particle for j in cost_c]):
            middle = _middle_names(q, [i for qi, _cj, _sim in pairs for i in qi], s.second_surnames)
            if middle:
                qp = tuple([p or m for p, m in zip(qp, middle, strict=True)])
                pp = min(pp, s.unmatched_inner)
    generic_q = generic_c = None
    if s.generic_extra < 1.0 and (cost_q or cost_c) and not (q.person or c.person) and names:
        # a word the query adds that names a line of business, a kind of body or a place (rigour's organisation
        # symbols: X ENGINEERING CENTER for X, X TRADING CYPRUS for X TRADING) says less than a name would; still a
        # word the listed name lacks (`query_extra_max` holds)
        generic_q = _generic_words(qt, cost_q, names, s.body_extra if bodies else s.generic_extra)
        if cost_c and (bodies or _brand_words_only(ct, pairs, names, s.contained_single_min_letters)):
            # the same words the listed name adds (ZORVEX for ZORVEX BANK, ZORVEX CYPRUS), when the words found
            # are a brand's: long, and neither a person's name nor such a word (HALVORSEN for HALVORSEN BANK: the
            # man or his firm; ZORV, too short); and a kind of body the listed name has in place of the query's
            generic_c = _generic_words(ct, cost_c, names, s.body_extra if bodies else s.generic_extra)
    total = (
        mass
        + s.unmatched_query * shrink
        * sum([wq[i] * (pw if qt[i].particle else pp if qp[i] else generic_q[i] if generic_q else 1.0)
               for i in cost_q])
        + s.unmatched_candidate * shrink
        * sum([wc[j] * (pw if ct[j].particle else pp if cp[j] else generic_c[j] if generic_c else 1.0)
               for j in cost_c])
    )
    score = max(0.0, matched) / total if total > 0 else 0.0
    extra = [i for i in cost_q if not (qt[i].particle or (qp[i] and pp < 1.0))]
    if s.query_extra_max < 1.0 and extra:
        # a word the listed name lacks: perhaps the listed party's name with a branch or place added, perhaps
        # another party's name; either way it ranks below the listed name spelt in full, however long the rest (a
        # patronymic is no such word: lists leave them out at will). A person's name added to a company's that
        # names nobody is another party's, the more so (X TRADING GARCIA: Garcia, or his firm)
        cap = s.query_extra_max
        if (
            person_words
            and not (q.person or c.person)
            and any([qt[i].text in person_words for i in extra])
            and not any([t.text in person_words for t in ct])
        ):
            cap = min(cap, s.other_party_extra_max)
        score = min(score, cap + (score - cap) * s.query_extra_slope)
    if (
        s.spelling_weight
        and len(pairs) >= s.spelling_min_tokens
        and not (q.syllabic or c.syllabic)  # Wang Guiying / Wang Guoying: another syllable is another name
        and q.script == "Latin"
        and c.script == "Latin"
    ):
        score = max(score, _spelling_score(qt, ct, pairs, cost_q, cost_c, s))
    if score < s.spelling_weight and _spacing_only(q, c, s):
        score = s.spelling_weight
    if s.cross_single_factor < 1.0 and q.script == "Arabic":
        content = [t for t in qt if not t.particle]
        # one Arabic-script word: a bare consonant skeleton, weak evidence
        if len(content) == 1 and content[0].cross:
            score *= s.cross_single_factor
    if s.whole_name_weight and not (q.script == "Arabic" or c.script == "Arabic"):
        # near-copies: the whole normalised name, tokens sorted, as one string (catches what token weights miss)
        whole = fuzz.token_sort_ratio(q.key, c.key) / 100.0 * s.whole_name_weight
        score = max(score, whole)
    return Alignment(score, pairs, un_q, un_c)


def _initial_compound(qt: tuple[Token, ...], ct: tuple[Token, ...], i: int, sim: float, cands: list) -> None:
    """`align`'s candidate pairs for the query's initial at `i` and the name after it (a particle between), against
    one listed word that begins with the initial and ends with that name: a compound name, its first part cut to
    its initial (A. WADUD / ABDULWADUD, A. AL-WADUD / ABD AL-WADUD, which `prepare` writes as one word)."""
    k = i + 1
    if qt[k].particle and k + 1 < len(qt):
        k += 1
    name = qt[k].text
    if qt[k].particle or qt[k].number or len(name) < 3:
        return
    initial = qt[i].text
    for j, t in enumerate(ct):
        # the first part two letters at least: a compound, not the name with one letter before it
        if len(t.text) >= len(name) + 2 and t.text[0] == initial and t.text.endswith(name):
            cands.append((sim, 2, tuple(range(i, k + 1)), (j,)))


def _generic_words(toks, unmatched: list[int], names: NameTable, factor: float) -> list[float] | None:
    """`factor` for each unmatched word with an organisation symbol (`align`'s generic extra words), 1.0 for the
    rest; None when there is none."""
    out = None
    for i in unmatched:
        if any([x.startswith(ORG_SYMBOL) for x in names.get(toks[i].text, ())]):
            if out is None:
                out = [1.0] * len(toks)
            out[i] = factor
    return out


def _bodies_only(toks, unmatched: list[int], names: NameTable) -> bool:
    """Whether the unmatched words are kinds of body (rigour's organisation symbols: AGENCY, FIRM) and particles,
    one body at least (a title or a suffix alone, HAJI or JR, is no kind of body)."""
    body = ORG_SYMBOL + BODY
    bodies = 0
    for i in unmatched:
        if any([x.startswith(body) for x in names.get(toks[i].text, ())]):
            bodies += 1
        elif not toks[i].particle:
            return False
    return bodies > 0


def _brand_words_only(ct, pairs: list, names: NameTable, min_letters: int) -> bool:
    """Whether every listed content word aligned is a brand's: `min_letters` long at least and without any symbol
    in the name table (no person's name, no line of business, kind of body or place)."""
    words = [ct[j].text for _qi, cj, _sim in pairs for j in cj if not ct[j].particle]
    return bool(words) and all([len(w) >= min_letters and not names.get(w) for w in words])


def _spacing_only(q: Prepared, c: Prepared, s: MatchSettings) -> bool:
    """The same letters in the same order, the words parted elsewhere (A-LALI / AL-ALI, HO LDING / HOLDING): one
    name, written with its spaces or hyphens out of place (`same_letters_min` letters at least)."""
    return len(q.letters) >= s.same_letters_min and q.letters == c.letters


def _content_pairs(qt: tuple[Token, ...], pairs: list) -> int:
    """How many aligned pairs hold a content (non-particle) query token."""
    return sum([not all([qt[i].particle for i in qi]) for qi, _cj, _sim in pairs])


def _middle_names(p: Prepared, matched: list[int], second_surnames: bool) -> tuple[bool, ...] | None:
    """Per token of a SURNAME, Given Middle name: a given name after the first, and with `second_surnames` a
    surname word after the first when the first is matched (VELARDO QUINTANAR, Rosendo: the mother's surname,
    which Spanish and Portuguese names leave out at will). None unless a surname word and the first given name
    are among the `matched` token positions; None too when a given name is one Chinese or Korean syllable: the
    given name is then often one name in two syllables (KIM, Yong Chol; WANG, Chung Lang)."""
    toks = p.tokens
    given = [i for i in range(p.given_at, len(toks)) if not toks[i].particle]
    first = given[0] if given else -1
    if first < 0 or first not in matched or not any([i < p.given_at and not toks[i].particle for i in matched]):
        return None
    middle = tuple([i > first and not t.particle for i, t in enumerate(toks)])
    if second_surnames:
        surnames = [i for i in range(p.given_at) if not toks[i].particle]
        if len(surnames) >= 2 and surnames[0] in matched:
            middle = tuple([m or i in surnames[1:] for i, m in enumerate(middle)])
    if any([one_syllable(t.text) for i, t in enumerate(toks) if i == first or middle[i]]):
        return None
    return middle


def _second_surname_slot(p: Prepared, unmatched: list[int], pairs: list, side: int) -> bool:
    """Whether, in a SURNAME1 SURNAME2, Given name, the unmatched words are all surname words after the first one,
    that first surname and the first given name both matched (`side`: 0 the query's token positions in `pairs`,
    1 the listed name's)."""
    if p.given_at <= 0:
        return False
    toks = p.tokens
    surnames = [i for i in range(p.given_at) if not toks[i].particle]
    given = [i for i in range(p.given_at, len(toks)) if not toks[i].particle]
    matched = {i for pair in pairs for i in pair[side]}
    return (len(surnames) >= 2 and bool(given) and surnames[0] in matched and given[0] in matched
            and all([surnames[0] < i < p.given_at for i in unmatched]))


def _two_given_names(q: Prepared, c: Prepared, pairs: list, s: MatchSettings) -> bool:
    """Whether two given names at least are found on both sides (`second_surname_given_min`, 0: never)."""
    n = s.second_surname_given_min
    return 0 < n <= _given_found(q, pairs, 0) and _given_found(c, pairs, 1) >= n


def _given_found(p: Prepared, pairs: list, side: int) -> int:
    """How many of a SURNAME, Given Middle name's given names `pairs` align (`side` as in `_second_surname_slot`)."""
    matched = {i for pair in pairs for i in pair[side]}
    return sum([1 for i in range(max(p.given_at, 0), len(p.tokens)) if not p.tokens[i].particle and i in matched])


def _married_name(p: Prepared, unmatched: list[int]) -> bool:
    """Whether the unmatched words are one surname written after DE (a married woman's husband's surname in
    Spanish: HERRADO DE ORVIETO), right after a surname."""
    content = [i for i in unmatched if not p.tokens[i].particle]
    return len(content) == 1 and _after_de(p, content[0])


def _second_surnames_apart(q: Prepared, c: Prepared, un_q: list[int], un_c: list[int], pairs: list,
                           s: MatchSettings) -> str:
    """Why the words each side lacks are two second surnames of one person, the first surname and first given name
    found (`_second_surname_slot`): "de X" for a married name in place of the other's (`married_names`: HERRADO DE
    ORVIETO / HERRADO TALAMANTE, Estelvina), "given" with two given names found as well
    (`second_surname_given_min`: HERRADO BALTRANA / HERRADO TALAMANTE, Estelvina Maricela); "" when neither."""
    if not (un_q and un_c and q.person and c.person and _second_surname_slot(q, un_q, pairs, 0)
            and _second_surname_slot(c, un_c, pairs, 1)):
        return ""
    if s.married_names:
        for p, un in ((q, un_q), (c, un_c)):
            if _married_name(p, un):
                return "de " + next(p.tokens[i].text for i in un if not p.tokens[i].particle)
    return "given" if _two_given_names(q, c, pairs, s) else ""


def _after_de(p: Prepared, i: int) -> bool:
    """Whether token `i` is a surname word after DE, itself after a surname (a married name: HERRADO DE ORVIETO)."""
    return 2 <= i < p.given_at and p.tokens[i - 1].text == "de" and not p.tokens[i - 2].particle


ACRONYM_MIN, ACRONYM_MAX = 2, 6  # letters of a word that may be an acronym


def name_initials(tokens) -> list[str]:
    """A name's acronyms, the first letters of its words with and without its particles (NORTHERN RIVER AND
    TRADING CO: NRATC, NRT), of `ACRONYM_MIN` to `ACRONYM_MAX` letters, from two content words at least."""
    content = [t for t in tokens if not t.particle]
    if len(content) < 2 or any([t.number or t.cross for t in content]):
        return []
    out = []
    for a in ("".join([t.text[0] for t in tokens]), "".join([t.text[0] for t in content])):
        if ACRONYM_MIN <= len(a) <= ACRONYM_MAX and a not in out:
            out.append(a)
    return out


def _acronym_run(short: str, toks) -> tuple[int, ...]:
    """Adjacent words, two content words at least, whose first letters spell `short` (an acronym), with or
    without their particles' (NRT: NORTHERN RIVER TRADING; NRT: NORTHERN RIVER AND TRADING); () when none do."""
    n = len(short)
    first = short[0]
    for j in range(len(toks) - 1):
        if toks[j].text[0] != first or toks[j].particle:
            continue
        every = content = ""
        for k in range(j, len(toks)):
            t = toks[k]
            if t.number or t.cross:
                break
            every += t.text[0]
            if not t.particle:
                content += t.text[0]
            if len(content) >= 2 and (every == short or content == short):
                return tuple(range(j, k + 1))
            if len(content) >= n:
                break
    return ()


def _run_of_three(text: str, ct, min_sim: float) -> tuple[int, float]:
    """The first of three adjacent listed words that, run together, spell `text` (at least `min_sim` alike, the
    same first letter), and how alike; (-1, 0.0) when none do."""
    n = len(text)
    first = text[0]
    for j in range(len(ct) - 2):
        a, b, c = ct[j].text, ct[j + 1].text, ct[j + 2].text
        if (
            a[0] == first
            and -1 <= len(a) + len(b) + len(c) - n <= 1
            and not ct[j].cross
        ):
            joined = a + b + c
            sim = 1.0 if joined == text else OSA.normalized_similarity(text, joined)
            if sim >= min_sim:
                return j, sim
    return -1, 0.0


def _unmatched_that_count(
    q: Prepared, c: Prepared, qt, ct, pairs, un_q, un_c, last: int
) -> tuple[list[int], list[int]]:
    """The unmatched (query, listed) words that count against a match, leaving out two kinds that are not extra:
    - words cut off by a fixed-width field (a SWIFT line holds 35 characters) when the query is long (`last` is
      its last word, -1 when short): its last word the start of a listed word (MARTINEZ OLIVA, FRA / ...,
      FRANCISCO JAVIER), the listed words after it were cut; its last words the start of the listed legal form
      (S.A. DE C / S.A. DE C.V.), they are that form;
    - the query's last words the listed legal form misspelt or misread (S.A. DE K.V., GM8H, LMIITADA)."""
    if last >= 0:
        lt = qt[last].text
        for qi, cj, _sim in pairs:
            if qi == (last,) and len(cj) == 1:
                j = cj[0]
                if len(ct[j].text) > len(lt) and ct[j].text.startswith(lt):
                    return un_q, [k for k in un_c if k < j]
                break
    form = c.form_letters
    if form and un_q and un_q[-1] == len(qt) - 1:
        folded = form.translate(_FORM_FOLD)
        tail = ""
        run = 0
        k = len(qt) - 1
        qform = q.form_letters
        unmatched = set(un_q)
        while k >= 0 and k in unmatched:
            tail = qt[k].text + tail
            if len(tail) > len(form) + 1:  # longer than the form and one slip: no longer it (a hostile long tail)
                break
            if (last >= 0 and (form.startswith(tail) or form.startswith(qform + tail))) or _same_form(
                (qform + tail, tail + qform) if qform else (tail,), folded
            ):
                run = len(qt) - k
            k -= 1
        if run:
            return un_q[:-run], un_c
    return un_q, un_c


_FORM_FOLD = str.maketrans("kz", "cs")  # one sound, two letters (K.V. / C.V., Z.A. / S.A.)


def _same_form(written: tuple[str, ...], form: str) -> bool:
    """One of the `written` letter strings is the legal form's (`form`, folded by _FORM_FOLD), read through OCR
    confusions and one slip."""
    for w in written:
        w = ocr_key(w).translate(_FORM_FOLD)
        if w == form or (len(form) >= 2 and len(w) >= 2 and OSA.distance(w, form, score_cutoff=1) <= 1):
            return True
    return False


CROSS_CONTAINED = ("Arabic",)  # scripts whose transliterations may be a partial name of a Latin one


def _contained(q: Prepared, c: Prepared, qt, ct, un_q, un_c, pairs, s: MatchSettings, wq, wc) -> bool:
    """One name inside the other: every content token of one side (two at least) aligned closely, the extra tokens
    all on the other side — a partial name (AMNOK TRADING / KOREA AMNOK TRADING COMPANY), not two names that
    share a word. Non-syllabic names only (Korean / Chinese names share syllables too easily); an Arabic-script
    name against a Latin one only with `contained_cross_min` content tokens aligned (skeletons are looser). A
    company's name of one word is inside another on the terms of `_one_word_inside`."""
    if q.syllabic or c.syllabic or "Latin" not in (q.script, c.script):
        return False
    cross = q.script != "Latin" or c.script != "Latin"
    if cross and not (q.script in CROSS_CONTAINED or c.script in CROSS_CONTAINED):
        return False
    q_extra = any(not qt[i].particle for i in un_q)
    c_extra = any(not ct[j].particle for j in un_c)
    if q_extra == c_extra:  # both sides have extra names (or neither does)
        return False
    short = ct if q_extra else qt
    n_short = sum(1 for t in short if not t.particle)
    if n_short < (s.contained_cross_min if cross else 2):
        if n_short != 1 or cross or q.person or c.person:
            return False
        if q_extra and not _one_word_inside(c, wc, qt, wq, un_q, s):
            return False
        if c_extra and not _one_word_inside(q, wq, ct, wc, un_c, s):
            return False
    return all(sim >= s.contained_min_sim for _, _, sim in pairs)


def _one_word_inside(short: Prepared, ws, long_, wl, extra, s: MatchSettings) -> bool:
    """A company's name of one word inside a longer one (ZORVEX S.A. / ZORVEX ELECTRONICS S.A.): a partial name when
    the word is rare in the list (`contained_single_min_weight`) and long (`contained_single_min_letters`), the name
    says it is a company's (a legal form or a company word: a bare word may be a person's surname), and the longer
    name's extra words are all commoner than it (a line of business, a place): a rare word beside a rarer one is
    another name."""
    k = 0
    while short.tokens[k].particle:
        k += 1
    if ws[k] < s.contained_single_min_weight or len(short.tokens[k].text) < s.contained_single_min_letters:
        return False
    if not (short.forms or any([t.text in ORG_FILLERS for t in short.tokens])):
        return False
    return not any([wl[j] >= ws[k] for j in extra if not long_[j].particle])


def _spelling_score(qt, ct, pairs, un_q, un_c, s: MatchSettings) -> float:
    """The same name spelt differently: every content token of both sides aligned, so what differs is letters,
    not names. Scored by the share of letters that agree (each pair's similarity weighted by its length), not by
    token weights: one letter off in a short first name (Yulia / Yulya) is a small change of the whole name."""
    if any(not qt[i].particle for i in un_q) or any(not ct[j].particle for j in un_c):
        return 0.0
    num = den = 0.0
    content = 0
    for qi, cj, sim in pairs:
        if sim < s.spelling_min_sim:
            return 0.0
        length = max(sum(len(qt[i].text) for i in qi), sum(len(ct[j].text) for j in cj))
        if not all(qt[i].particle for i in qi):
            content += 1
        num += sim * length
        den += length
    if not content or len(pairs) < s.spelling_min_tokens or den < s.spelling_min_letters:
        return 0.0
    return s.spelling_weight * num / den


# ---------------------------------------------------------------------------------------------------------------
# Entities and queries as the features see them


def country_code(value: str | None) -> str | None:
    if not value:
        return None
    return _country_code(value.strip())


@lru_cache(maxsize=4096)
def _country_code(value: str) -> str | None:
    t = lookup_territory(value)
    return t.code if t is not None else None


def norm_identifier(value: str) -> str:
    """Upper-case letters and digits only; an "IMO" / "MMSI" label in front of the number is dropped."""
    v = "".join(ch for ch in value.upper() if ch.isalnum())
    for label in ("IMO", "MMSI"):
        if v.startswith(label) and v[len(label) :].isdigit():
            return v[len(label) :]
    return v


def _years(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    digits = value.strip()[:4]
    if len(digits) == 4 and digits.isdigit():
        y = int(digits)
        return y, y
    return None


@dataclass(slots=True)
class EntityFacts:
    """What the features need from a listed entity, precomputed at index build."""

    kind: str
    birth_years: tuple[tuple[int, int], ...] = ()
    birth_dates: frozenset[str] = frozenset()  # full ISO dates (day precision)
    raw_countries: tuple[str, ...] = ()  # nationality / citizenship as published (resolved on first use)
    identifiers: frozenset[str] = frozenset()
    _countries: frozenset[str] | None = None

    @property
    def countries(self) -> frozenset[str]:
        """ISO codes of the nationalities / citizenships, resolved lazily: only queries that carry a country need
        them, and the territory table costs a second to load."""
        if self._countries is None:
            codes = {country_code(c) for c in self.raw_countries}
            self._countries = frozenset(c for c in codes if c)
        return self._countries

    @classmethod
    def of(cls, e: Entity) -> EntityFacts:
        years = []
        dates = set()
        for d in e.birth_dates:
            try:
                years.append(d.years())
            except (ValueError, TypeError):
                continue
            if d.precision == "day" and len(d.value) == 10 and not d.circa and not d.end:
                dates.add(d.value)
        ids = {norm_identifier(i.number) for i in e.identifiers if i.number}
        for key in ("imo", "mmsi"):
            if e.vessel.get(key):
                ids.add(norm_identifier(e.vessel[key]))
        return cls(
            kind=e.kind,
            birth_years=tuple(years),
            birth_dates=frozenset(dates),
            raw_countries=tuple(dict.fromkeys((*e.nationalities, *e.citizenships))),
            identifiers=frozenset(i for i in ids if len(i) >= 4),
        )


@dataclass(slots=True)
class Query:
    name: str
    kind: str | None = None
    birth_date: str | None = None
    countries: frozenset[str] = frozenset()
    identifiers: frozenset[str] = frozenset()
    prepared: Prepared | None = None  # as a person (or unknown kind)
    prepared_org: Prepared | None = None  # with legal forms taken out (for non-person candidates)
    alternates: tuple[Prepared, ...] = ()  # other readings of the person form (`normalize.query_readings`)

    @classmethod
    def make(
        cls,
        name: str,
        kind: str | None = None,
        birth_date: str | None = None,
        nationality: str | None = None,
        country: str | None = None,
        identifiers: Iterable[str] = (),
        prepared: tuple[Prepared | None, Prepared | None] | None = None,
        alternates: tuple[Prepared, ...] = (),
    ) -> Query:
        """`prepared`, `alternates`: the (person, organisation) forms and the other readings of the person form of
        this very name and kind from an earlier Query."""
        kind = normalize_kind(kind)
        countries = frozenset(c for c in (country_code(nationality), country_code(country)) if c)
        ids = frozenset(i for i in (norm_identifier(x) for x in identifiers) if len(i) >= 4)
        q = cls(name=name or "", kind=kind, birth_date=birth_date, countries=countries, identifiers=ids)
        if prepared is not None:
            q.prepared, q.prepared_org = prepared
            q.alternates = alternates
        elif kind is not None and kind != PERSON:
            q.prepared = q.prepared_org = prepare(q.name, kind)
        else:
            person = query_readings(q.name)
            q.prepared, q.alternates = person[0], person[1:]
            q.prepared_org = q.prepared if kind == PERSON else prepare(q.name, None)
        return q

    def for_kind(self, kind: str) -> Prepared:
        return self.prepared if kind == PERSON else self.prepared_org  # type: ignore[return-value]


_KIND_ALIASES = {
    "person": PERSON, "individual": PERSON, "people": PERSON, "natural person": PERSON,
    "organization": "organization", "organisation": "organization", "entity": "organization",
    "company": "organization", "legalentity": "organization", "legal entity": "organization",
    "vessel": "vessel", "ship": "vessel", "aircraft": "aircraft", "airplane": "aircraft",
}  # fmt: skip


def normalize_kind(kind: str | None) -> str | None:
    if not kind:
        return None
    return _KIND_ALIASES.get(kind.strip().lower())


# ---------------------------------------------------------------------------------------------------------------
# Features


@dataclass(slots=True)
class Context:
    query: Query
    facts: EntityFacts
    qname: Prepared
    cname: Prepared
    strength: str
    alignment: Alignment


@dataclass(frozen=True)
class Feature:
    name: str  # key into MatchSettings.weights (for signed features: the positive / negative weight names)
    fn: Callable[[Context], tuple[float, str]]
    pos: str | None = None
    neg: str | None = None
    needs: Callable[[Query], bool] | None = None  # the feature can only fire for queries that pass this

    def weight(self, value: float, s: MatchSettings) -> float:
        key = self.pos if value > 0 else self.neg
        return s.weights.get(key, 0.0) if key else 0.0


def _weak_alias(ctx: Context) -> tuple[float, str]:
    if ctx.strength == WEAK:
        return -1.0, "matched a weak (low-quality) alias"
    return 0.0, ""


def _birth_date(ctx: Context) -> tuple[float, str]:
    q = ctx.query.birth_date
    span = _years(q)
    if span is None or not ctx.facts.birth_years:
        return 0.0, ""
    if q and len(q) >= 10 and q[:10] in ctx.facts.birth_dates:
        return 1.0, f"birth date {q[:10]} is listed"
    y = span[0]
    if any(lo <= y <= hi for lo, hi in ctx.facts.birth_years):
        return 0.6, f"birth year {y} agrees with the listed birth date"
    near = min(min(abs(y - lo), abs(y - hi)) for lo, hi in ctx.facts.birth_years)
    if near <= 1:
        return 0.0, f"birth year {y} is one year off"
    listed = ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in ctx.facts.birth_years)
    return -1.0, f"birth year {y} conflicts with listed {listed}"


def _nationality(ctx: Context) -> tuple[float, str]:
    if not ctx.query.countries or not ctx.facts.countries:
        return 0.0, ""
    common = ctx.query.countries & ctx.facts.countries
    if common:
        return 1.0, f"country {', '.join(sorted(common))} agrees"
    return (
        -1.0,
        f"country {', '.join(sorted(ctx.query.countries))} vs listed {', '.join(sorted(ctx.facts.countries))}",
    )


def _kind(ctx: Context) -> tuple[float, str]:
    qk, ck = ctx.query.kind, ctx.facts.kind
    if not qk or not ck or qk == ck:
        return 0.0, ""
    if qk != PERSON and ck != PERSON:  # organization / vessel / aircraft are often mixed up by publishers
        return 0.0, ""
    return -1.0, f"query is a {qk}, listed party is a {ck}"


_OBJECTS = (VESSEL, AIRCRAFT)


def _company_as_object(ctx: Context) -> tuple[float, str]:
    """A name carrying a legal form is a company's, never a vessel's or an aircraft's (KORVALD AG is no ship KORVALD):
    a conflict where the query gives no kind, or calls itself an organisation (which `_kind` lets pass)."""
    forms = ctx.qname.forms  # (a query said to be a vessel's keeps its words: no legal form taken out)
    if forms and ctx.facts.kind in _OBJECTS:
        return -1.0, f"a company's name ({'/'.join(sorted(forms))}) against a {ctx.facts.kind}"
    return 0.0, ""


def _numbers(ctx: Context) -> tuple[float, str]:
    a, b = ctx.qname.numbers, ctx.cname.numbers
    if a and b and not (a & b):
        return -1.0, f"numbers differ: {' '.join(sorted(a))} vs {' '.join(sorted(b))}"
    return 0.0, ""


def _legal_form(ctx: Context) -> tuple[float, str]:
    a, b = ctx.qname.forms, ctx.cname.forms
    if a and b and not (a & b):
        return -1.0, f"legal forms differ: {'/'.join(sorted(a))} vs {'/'.join(sorted(b))}"
    return 0.0, ""


FEATURES: tuple[Feature, ...] = (
    Feature("weak_alias", _weak_alias, neg="weak_alias"),
    Feature("birth_date", _birth_date, pos="birth_date_match", neg="birth_date_conflict",
            needs=lambda q: bool(q.birth_date)),
    Feature("nationality", _nationality, pos="nationality_match", neg="nationality_conflict",
            needs=lambda q: bool(q.countries)),
    Feature("kind", _kind, neg="kind_conflict", needs=lambda q: bool(q.kind)),
    Feature("company_as_object", _company_as_object, neg="kind_conflict",
            needs=lambda q: bool(q.prepared_org and q.prepared_org.forms)),
    Feature("numbers", _numbers, neg="number_conflict",
            needs=lambda q: bool(q.prepared and q.prepared.numbers or q.prepared_org and q.prepared_org.numbers)),
    Feature("legal_form", _legal_form, neg="legal_form_conflict",
            needs=lambda q: bool(q.prepared_org and q.prepared_org.forms)),
)  # fmt: skip


def max_bonus(s: MatchSettings = DEFAULT) -> float:
    """The most the features can add to a name score (a feature's value is at most 1, times its weight)."""
    return sum(s.weights.get(f.pos, 0.0) for f in FEATURES if f.pos)


def features_for(query: Query) -> tuple[Feature, ...]:
    """The features that can fire for this query (the others always return 0): computed once per query."""
    return tuple(f for f in FEATURES if f.needs is None or f.needs(query))


@dataclass(slots=True)
class Explanation:
    score: float
    items: list[dict] = field(default_factory=list)


def combine(
    ctx: Context,
    s: MatchSettings = DEFAULT,
    explain: bool = False,
    features: tuple[Feature, ...] = FEATURES,
) -> Explanation:
    """Name score plus weighted features, clipped to [0, 1]; an identifier match sets a floor. `features` may be
    narrowed to `features_for(query)` on the hot path (same score)."""
    name_score = ctx.alignment.score
    total = name_score
    items: list[dict] = []
    if explain:
        items.append({"feature": "name", "score": round(name_score, 4), "detail": _name_detail(ctx, s)})
    for f in features:
        value, detail = f.fn(ctx)
        if value:
            delta = value * f.weight(value, s)
            total += delta
            if explain:
                items.append({"feature": f.name, "score": round(delta, 4), "detail": detail})
    common_ids = ctx.query.identifiers & ctx.facts.identifiers
    if common_ids:
        total = max(total, s.identifier_floor)
        if explain:
            items.append(
                {
                    "feature": "identifier",
                    "score": s.identifier_floor,
                    "detail": f"identifier {', '.join(sorted(common_ids))} is listed",
                }
            )
    return Explanation(min(1.0, max(0.0, total)), items)


def conflict(qp: Prepared, al: Alignment, others: list[tuple[Prepared, Alignment, Prepared]],
             s: MatchSettings = DEFAULT) -> str:
    """A word the query has and the listed name `al` aligns it with lacks, where another of the entity's names
    (`others`: each with the query reading it was aligned with) has a word of its own, clearly not the same name:
    TREMBOVSKY TELMANOV Arkady against TREMBOVSKY, Arkady, whose fuller name is TREMBOVSKY GASPARYAN, Arkady.
    The shorter name left out no middle name the query has; the query names another person. "" when there is
    none. Each extra word on its own: one that any of the names aligns is this entity's, and is not checked.
    Latin-script persons' names only: across scripts words fail to align too often to tell."""
    qt = qp.tokens
    extra = [i for i in al.unmatched_query if not qt[i].particle and len(qt[i].text) >= s.conflict_min_letters]
    if not extra or qp.script != "Latin":
        return ""
    found = {i for qi, _cj, _sim in al.pairs for i in qi}
    for other_qp, other, _cp in others:
        if other_qp is qp:
            extra = [i for i in extra if i in other.unmatched_query]  # a name of this entity has the word
    if not extra:
        return ""
    for other_qp, other, cp in others:
        if (other_qp is qp and cp.script == "Latin" and cp.person
                and found <= {i for qi, _cj, _sim in other.pairs for i in qi}):
            out = _word_in_place(qp, extra, other, cp, s)
            if out:
                return out
    return ""


def _word_in_place(qp: Prepared, extra: list[int], al: Alignment, cp: Prepared, s: MatchSettings) -> str:
    """A listed word `al` leaves unaligned between the listed words aligned with the query words either side of
    one of the query's `extra` words (or after the last, or before the first), clearly another word than it:
    "QUERY_WORD / LISTED_WORD", else "". Not two patronymics (two spellings of one father's name), a title, a short
    word (an abbreviation: MA. / MARIA), one word the start of the other, nor two words alike (`fuzz.ratio`)."""
    qt, ct = qp.tokens, cp.tokens
    where: dict[int, tuple[int, int]] = {}
    for qi, cj, _sim in al.pairs:
        for i in qi:
            where[i] = (min(cj), max(cj))
    hon = honorifics()
    lacking = [j for j in al.unmatched_candidate if not ct[j].particle and len(ct[j].text) >= s.conflict_min_letters
               and ct[j].text not in hon]
    for i in extra:
        a = qt[i].text
        if a in hon:
            continue
        before = [where[k][1] for k in where if k < i]
        after = [where[k][0] for k in where if k > i]
        if before and after and max(before) > min(after):
            continue  # the query's words in another order than the listed name's
        lo = max(before) if before else -1
        hi = min(after) if after else len(ct)
        for j in lacking:
            b = ct[j].text
            if (lo < j < hi and not (qp.patronymic[i] and cp.patronymic[j]) and not a.startswith(b)
                    and not b.startswith(a) and fuzz.ratio(a, b) < s.conflict_max_ratio
                    and not _second_surnames_apart(qp, cp, [i], [j], al.pairs, s)):
                return f"{a} / {b}"
    return ""


def _name_detail(ctx: Context, s: MatchSettings) -> str:
    qt, ct = ctx.qname.tokens, ctx.cname.tokens
    al = ctx.alignment
    if _spacing_only(ctx.qname, ctx.cname, s) and (
            al.unmatched_query or al.unmatched_candidate or any([sim < 1.0 for _qi, _cj, sim in al.pairs])):
        return f"{ctx.qname.key} / {ctx.cname.key}: the same letters, the words parted elsewhere"
    parts = []
    for qi, cj, sim in sorted(ctx.alignment.pairs, key=lambda p: p[0]):
        a = " ".join(qt[i].text for i in qi)
        b = " ".join(ct[j].text for j in cj)
        parts.append(a if a == b and sim == 1.0 else f"{a}~{b} ({sim:.2f})")
    extra = []
    if ctx.alignment.unmatched_query:
        extra.append("query only: " + " ".join(qt[i].text for i in ctx.alignment.unmatched_query))
    if ctx.alignment.unmatched_candidate:
        extra.append("listed only: " + " ".join(ct[j].text for j in ctx.alignment.unmatched_candidate))
    apart = _second_surnames_apart(ctx.qname, ctx.cname, al.unmatched_query, al.unmatched_candidate, al.pairs, s)
    if apart == "given":
        extra.append("only the second surnames differ, the first surname and the given names found")
    elif apart:
        extra.append(f"a married name ({apart}) in place of the second surname")
    if al.conflict:
        extra.append(f"another name of this entry has a word of its own there ({al.conflict}): at most "
                     f"{s.conflict_max:.2f}")
    return "; ".join([" ".join(parts) or "no token aligned", *extra])
