"""Korean names: Hangul romanisation and a key that folds the romanisation systems together.

Two public standards are encoded here, syllable by syllable (names are romanised per syllable, without the
sound-change rules used for running text):

- Revised Romanization of Korean (South Korea, Ministry of Culture and Tourism, 2000) — ``RR_*`` tables.
- McCune–Reischauer (1939), which the DPRK's official system and OFAC's spellings follow, written the way OFAC
  writes it in ASCII: breves as an apostrophe after the vowel (``ŏ`` → ``o'``, ``ŭ`` → ``u'``) and aspiration as an
  apostrophe after the consonant (``ch'``) — e.g. ``CH'OE, Myo'ng-hyo'n``.

`fold()` maps any of these spellings (and the popular ones: Choi, Park, Lee, Jung, Myung, Hyun, Yoon ...) of a
romanised token to one comparison key, so ``Choe``/``Choi``, ``Myong``/``Myeong``/``Myung``, ``Hyon``/``Hyeon``/
``Hyun``, ``Pak``/``Park``/``Bak``, ``Ri``/``Lee``/``Yi``/``I``, ``Jong``/``Chong``/``Jeong``/``Chung`` coincide.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Hangul syllable = 0xAC00 + (initial * 21 + medial) * 28 + final (Unicode chapter 3.12).
_S_BASE, _N_MEDIAL, _N_FINAL = 0xAC00, 21, 28
_N_SYLLABLES = 19 * _N_MEDIAL * _N_FINAL

# Revised Romanization (2000): initials, medials and finals in Unicode jamo order.
RR_INITIAL = (
    "g",
    "kk",
    "n",
    "d",
    "tt",
    "r",
    "m",
    "b",
    "pp",
    "s",
    "ss",
    "",
    "j",
    "jj",
    "ch",
    "k",
    "t",
    "p",
    "h",
)
RR_MEDIAL = (
    "a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
    "eu", "ui", "i",
)  # fmt: skip
RR_FINAL = (
    "", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng",
    "t", "t", "k", "t", "p", "t",
)  # fmt: skip

# McCune–Reischauer (1939) as OFAC writes it in ASCII (breve -> apostrophe after the vowel).
MR_INITIAL = (
    "k",
    "kk",
    "n",
    "t",
    "tt",
    "r",
    "m",
    "p",
    "pp",
    "s",
    "ss",
    "",
    "ch",
    "tch",
    "ch'",
    "k'",
    "t'",
    "p'",
    "h",
)
MR_MEDIAL = (
    "a", "ae", "ya", "yae", "o'", "e", "yo'", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo'", "we", "wi", "yu",
    "u'", "u'i", "i",
)  # fmt: skip
MR_FINAL = RR_FINAL


def is_hangul(ch: str) -> bool:
    return 0 <= ord(ch) - _S_BASE < _N_SYLLABLES


def _jamo(ch: str) -> tuple[int, int, int]:
    code = ord(ch) - _S_BASE
    return code // (_N_MEDIAL * _N_FINAL), (code // _N_FINAL) % _N_MEDIAL, code % _N_FINAL


def romanize_syllable(ch: str, system: str = "rr") -> str:
    ini, med, fin = _jamo(ch)
    if system == "mr":
        return MR_INITIAL[ini] + MR_MEDIAL[med] + MR_FINAL[fin]
    return RR_INITIAL[ini] + RR_MEDIAL[med] + RR_FINAL[fin]


def romanize_word(word: str, system: str = "rr") -> list[str]:
    """A Hangul word as Latin syllables; a personal name's first syllable is the family name.

    A 2-4 syllable word is read as a name (family name + given name): ``김정은`` → ``["gim", "jeongeun"]``.
    Non-Hangul characters pass through.
    """
    syl = [romanize_syllable(c, system) if is_hangul(c) else c for c in word]
    if 2 <= len(word) <= 4 and all(is_hangul(c) for c in word):
        return [syl[0], "".join(syl[1:])]
    return ["".join(syl)]


# The fold: ordered rewrites on a lower-case ASCII token with apostrophes already removed.
_FOLD_RULES = [
    (re.compile(r"([a-z])\1"), r"\1"),  # kk/ss/tt/pp/jj, ee/oo handled below after collapsing
    (re.compile(r"^(?:[rl]h?)(?=i|y|e)"), ""),  # Lee/Li/Ri/Rhee/Rim/Lim/Ryu -> i/im/yu
    (re.compile(r"^yi$"), "i"),
    (re.compile(r"^ie$"), "i"),  # Lee -> (collapse) le -> ... handled via ie/e
    (re.compile(r"^e$"), "i"),  # "Lee" -> "le" -> "e"
    (re.compile(r"oi"), "oe"),  # Choi -> Choe
    (re.compile(r"eo"), "o"),  # RR eo = MR o'
    (re.compile(r"eu"), "u"),  # RR eu = MR u'
    (re.compile(r"yu(?=ng?$|ng?[^aeiouy])"), "yo"),  # popular Hyun / Myung / Kyung = Hyon / Myong / Kyong
    (re.compile(r"ung"), "ong"),  # Jung / Chung / Sung = Jong / Chong / Song
    (re.compile(r"wo"), "wo"),
    (re.compile(r"o(?=o)"), ""),
    (re.compile(r"ar(?=k)"), "a"),  # Park -> Pak
    (re.compile(r"(?<=[aeiou])h(?=[^aeiouy]|$)"), ""),  # Ahn / Oh / Noh -> An / O / No
    (re.compile(r"tch|jj"), "ch"),
    (re.compile(r"sh"), "s"),  # Shin = Sin
    (re.compile(r"j"), "ch"),  # voicing: RR j = MR ch
    (re.compile(r"ng"), "N"),  # protect the final -ng from the g -> k rewrite
    (re.compile(r"g"), "k"),  # RR g = MR k
    (re.compile(r"N"), "ng"),
    (re.compile(r"d"), "t"),
    (re.compile(r"b"), "p"),
    (re.compile(r"r(?=$|[^aeiouy])"), "l"),  # final r/l
]

_SYLLABLE = (
    r"(?:tch|ch|sh|rh|kk|gg|tt|dd|pp|bb|ss|jj|k|g|n|d|t|r|l|m|b|p|s|j|h|)"
    r"(?:w|y)?(?:ae|eo|eu|oe|oi|ui|ee|oo|ea|a|e|i|o|u)"
    r"(?:ng|rk|k|g|n|l|r|m|p|b|t|d|s)?"
)
_KOREAN_TOKEN = re.compile(rf"^(?:{_SYLLABLE}){{1,3}}$")
_KOREAN_SYLLABLE = re.compile(rf"^{_SYLLABLE}$")


@lru_cache(maxsize=65536)
def fold(token: str) -> str:
    t = token
    for pat, rep in _FOLD_RULES:
        t = pat.sub(rep, t)
    return t


@lru_cache(maxsize=65536)
def looks_korean(token: str) -> bool:
    """True when a romanised token can be read as 1-3 Korean syllables (in any of the systems above)."""
    return bool(_KOREAN_TOKEN.match(token)) and len(token) <= 12


def one_syllable(token: str) -> bool:
    """True when a romanised token reads as one Korean syllable (a surname: Kim, Pak, Choe, Ri, Jong ...)."""
    return len(token) <= 4 and bool(_KOREAN_SYLLABLE.match(token))
