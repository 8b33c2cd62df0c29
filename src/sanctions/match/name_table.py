"""Person names across languages: rigour's name symbols for the words of a list.

rigour (OpenSanctions) tags a person's name against its table of Wikidata given and family names, with their
spellings across languages (PYOTR / PETER, MIKHAIL / MICHAEL) and common nicknames (WILLIAM / BILL). Its tagger
is built on first use and costs ~4 s and ~420 MB, which no screening process should carry. So an index build asks a
helper process (spawned: it shares nothing with its parent) for the symbols of the listed words and keeps the
answers, a few thousand words (`Index.name_table`); a query word is looked up there, and an index read from the
cache needs no helper at all. The helper loads the tagger while the build prepares the names, answers, and exits
after `IDLE_SECONDS` without a request (a process that builds several indexes in a row asks it once).

To rigour's symbols the index adds pairs rigour lacks, for every word of them (`with_name_pairs`): the Ukrainian
and Russian forms of one given name. And the words of companies' names get rigour's organisation symbols
(`org_symbols`): one line of business or kind of body in several languages and abbreviations (MARINE / MARITIME,
ZAVOD / PLANT, ENG / ENGINEERING, BANCO / BANQUE), and a country's or city's names (TURKEY / TURKIYE). That
tagger is small (~0.2 s, ~20 MB) and runs in the building process. To its kinds of body the index adds those of
armed and political groups it lacks, and the lines of business Russian company names abbreviate
(`ORG_WORDS`).
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import IO

IDLE_SECONDS = 20.0  # the helper exits after this long without a request (and so frees the tagger's memory)
MEMO_ENTRIES = 200_000  # words whose answer this process keeps: an index rebuilt for a new list version asks anew
# only for its new words
NICKNAME = "~"  # prefix of a nickname symbol's id in a word's symbols (a name symbol has none)
PAIR_SYMBOL = "ua-ru:"  # prefix of the symbols of our own name pairs (`UKRAINIAN_RUSSIAN_NAMES`)

ORG_SYMBOL = "org:"  # prefix of an organisation symbol's id in a word's symbols (`org_symbols`)
PLACE = "place:"  # ... then this, for a place's (TURKEY / TURKIYE: tr)
BODY = "body:"  # ... or this, for a kind of body's or business's (SYMBOL category: AGENCY, GROUP, TRADE; FIRM and
# COMPANY: one symbol, CO), as against a line of business's (DOMAIN category: SHIPPING, BANK, OIL)

NameTable = dict[str, frozenset[str]]  # word -> its name symbols


def symbols(words: Iterable[str]) -> NameTable:
    """The name and nickname symbols rigour's tagger finds for each of `words` alone (one-word names), for those
    it knows. Loads the tagger in this process: the helper calls it (`serve`), not a screening process."""
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names

    table: NameTable = {}
    for word in words:
        found = set()
        names = analyze_names(NameTypeTag.PER, [word], phonetics=False, numerics=False, consolidate=False,
                              rewrite=False)
        for name in names:
            for span in name.spans:
                if len(span.parts) == 1:
                    if span.symbol.category == SymbolCategory.NAME:
                        found.add(span.symbol.id)
                    elif span.symbol.category == SymbolCategory.NICK:
                        found.add(NICKNAME + span.symbol.id)
        if found:
            table[word] = frozenset(found)
    return table


# Kinds of armed and political body that rigour's organisation table lacks, in English and in the Arabic the
# lists romanise (Hans Wehr, A Dictionary of Modern Written Arabic: harakah movement, jabhah front, hizb party,
# tanzim organisation, jama'ah group, katibah battalion, kata'ib brigades, liwa' brigade, saraya detachments, which
# the lists translate brigades, jaish army), as the lists write them (HARAKAT ZAFARUN TARMUZ, the ZAFARUN TARMUZ
# MOVEMENT). Each word gets the symbol of its English kind: rigour's own where it has one (PARTY, ORG, GRP), else
# one of ours; BRIGADE and ARMY, lines of business in rigour's table, are kinds of body here too (a battalion for a
# brigade is one body's kind written two ways). The index knows them all (`org_words`), a query's words too.
BODY_WORDS = {
    **dict.fromkeys(("movement", "movements", "harakat", "harakah", "haraka"), ORG_SYMBOL + BODY + "MOVEMENT"),
    **dict.fromkeys(("front", "jabhat", "jabhah", "jabha"), ORG_SYMBOL + BODY + "FRONT"),
    **dict.fromkeys(("battalion", "battalions", "katibat", "katibah", "katiba"), ORG_SYMBOL + BODY + "BATTALION"),
    **dict.fromkeys(("brigade", "brigades", "kataib", "liwa", "saraya"), ORG_SYMBOL + BODY + "BRIGADE"),
    **dict.fromkeys(("army", "armies", "jaish", "jaysh", "jeish"), ORG_SYMBOL + BODY + "ARMY"),
    **{word: ORG_SYMBOL + BODY + kind for word, kind in (
        ("society", "SOCIETY"), ("league", "LEAGUE"), ("council", "COUNCIL"), ("hizb", "PARTY"), ("tanzim", "ORG"),
        ("jamaat", "GRP"), ("jamaah", "GRP"), ("jamaa", "GRP"))},
}
# The lines of business Russian company names abbreviate after their legal form (АО КБ X, ООО СК X: коммерческий
# банк, страховая компания, инвестиционная компания, торговый дом), romanised as the lists write them (JSC CB
# VELMORA, LLC SK ZAFARUN), and their first words spelt out (BGN/PCGN); with rigour's symbol of the English kind
# (BANK, INSURANCE, INVESTMENT, TRADE). Not УК (управляющая компания): UK is the United Kingdom's too; only its
# words, with the English MANAGING (COMPANY) rigour lacks beside its MANAGEMENT.
RUSSIAN_LINE_WORDS = {
    **dict.fromkeys(("kb", "cb"), ORG_SYMBOL + "BANK"),
    **dict.fromkeys(("sk", "strakhovaya"), ORG_SYMBOL + "INSURANCE"),
    **dict.fromkeys(("ik", "investitsionnaya"), ORG_SYMBOL + "INVESTMENT"),
    **dict.fromkeys(("td", "torgovyi", "torgovyy", "torgovy"), ORG_SYMBOL + BODY + "TRADE"),
    **dict.fromkeys(("managing", "upravlyayushchaya"), ORG_SYMBOL + BODY + "MGMT"),
}
ORG_WORDS = {**BODY_WORDS, **RUSSIAN_LINE_WORDS}


def org_words() -> NameTable:
    """`ORG_WORDS` as a name table."""
    return {word: frozenset((symbol,)) for word, symbol in ORG_WORDS.items()}


def org_symbols(words: Iterable[str]) -> NameTable:
    """The organisation symbols (a line of business: DOMAIN; a kind of body: SYMBOL, marked `BODY`; a country or
    city: LOCATION, marked `PLACE`) rigour's organisation tagger finds for each of `words` alone, prefixed
    `ORG_SYMBOL`, for those it knows."""
    from rigour.names import NameTypeTag, SymbolCategory, analyze_names

    kinds = (SymbolCategory.DOMAIN, SymbolCategory.SYMBOL, SymbolCategory.LOCATION)
    table: NameTable = {}
    for word in words:
        found = set()
        for name in analyze_names(NameTypeTag.ORG, [word], phonetics=False, numerics=False, consolidate=False,
                                  rewrite=False):
            for span in name.spans:
                if len(span.parts) == 1 and span.symbol.category in kinds:
                    mark = (PLACE if span.symbol.category == SymbolCategory.LOCATION
                            else BODY if span.symbol.category == SymbolCategory.SYMBOL else "")
                    found.add(ORG_SYMBOL + mark + str(span.symbol.id))
        if found:
            table[word] = frozenset(found)
    return table


def merged(*tables: NameTable) -> NameTable:
    """One table: each word with the symbols all `tables` give it."""
    out: NameTable = {}
    for table in tables:
        for word, found in table.items():
            out[word] = out[word] | found if word in out else found
    return out


def serve(inp: IO[str], out: IO[str], idle: float = IDLE_SECONDS) -> None:
    """The helper's loop (`python -m sanctions.match.name_table`): load the tagger, then answer word lists, one
    JSON list per line in and one JSON object (word -> symbols) per line out, until idle or the parent is gone."""
    symbols(["john"])  # builds the tagger now, while the parent prepares its names
    while select.select([inp], [], [], idle)[0]:
        line = inp.readline()
        if not line.endswith("\n"):  # the parent went away (perhaps while writing a request)
            return
        table = symbols(json.loads(line))
        out.write(json.dumps({w: sorted(s) for w, s in table.items()}) + "\n")
        out.flush()


class NameTables:
    """This process's way to rigour's name table: a memo of the words already asked, and the helper process
    (started by `warm`, or by the first `lookup` that needs it). The helper is a fresh interpreter (not a
    multiprocessing child, which would re-run the caller's main module)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._memo: NameTable = {}
        self._asked: set[str] = set()
        self._proc: subprocess.Popen | None = None

    def warm(self) -> None:
        """Start the helper now, so its tagger loads while the caller does other work."""
        with self._lock:
            self._start()

    def _start(self) -> subprocess.Popen:
        if self._proc is not None and self._proc.poll() is None:
            return self._proc
        root = str(Path(__file__).resolve().parents[2])  # the folder holding the sanctions package
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "sanctions.match.name_table"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, env=env,
        )
        return self._proc

    def asked(self, word: str) -> bool:
        """Whether `word` was asked already (its answer memoised)."""
        return word in self._asked

    def lookup(self, words: Iterable[str]) -> NameTable:
        """The symbols of those of `words` rigour knows (asked of the helper for the words not yet memoised)."""
        words = set(words)
        with self._lock:
            if len(self._asked) + len(words) > MEMO_ENTRIES:
                self._memo.clear()
                self._asked.clear()
            new = sorted(words - self._asked)
            if new:
                self._memo.update(self._ask(new))
                self._asked.update(new)
            return {w: self._memo[w] for w in words if w in self._memo}

    def known(self) -> tuple[frozenset[str], NameTable]:
        """The words asked so far and the answers (to keep beside an index cache: `absorb`)."""
        with self._lock:
            return frozenset(self._asked), dict(self._memo)

    def absorb(self, asked: Iterable[str], table: NameTable) -> None:
        """Answers kept from another process (`known`), for the same rigour version."""
        with self._lock:
            self._asked.update(asked)
            self._memo.update(table)

    def _ask(self, words: list[str]) -> NameTable:
        for _attempt in (1, 2):  # the helper may have just gone idle and exited: start another once
            proc = self._start()
            assert proc.stdin is not None and proc.stdout is not None
            try:
                proc.stdin.write(json.dumps(words) + "\n")
                proc.stdin.flush()
                line = proc.stdout.readline()
            except (BrokenPipeError, OSError):
                line = ""
            if line:
                return {w: frozenset(s) for w, s in json.loads(line).items()}
            proc.wait()
            self._proc = None
        raise RuntimeError("rigour's name-table helper process exited without answering (see its error above)")


NAME_TABLES = NameTables()


# One Christian name in its Ukrainian and its Russian form, which rigour's table keeps apart (MYKOLA and NIKOLAY are
# two Wikidata names): the lists give Ukrainian and Russian officials under either, or both. Ukrainian spellings
# follow the national romanisation (Cabinet of Ministers of Ukraine resolution 55 of 2010, as passports and the
# lists write them) with the older -iy / -yy endings; Russian ones BGN/PCGN and the common passport spellings.
# Each group shares one symbol, `PAIR_SYMBOL` and its first Russian form.
UKRAINIAN_RUSSIAN_NAMES = (
    (("mykola", "mykolai"), ("nikolay", "nikolai", "nikolaj")),
    (("oleksandr",), ("aleksandr", "alexander", "alexandr", "aleksander")),
    (("oleksandra",), ("aleksandra", "alexandra")),
    (("oleksii", "oleksiy", "oleksij"), ("aleksey", "alexey", "aleksei", "alexei")),
    (("mykhailo", "mykhaylo"), ("mikhail",)),
    (("vasyl",), ("vasily", "vasiliy", "vasili")),
    (("petro",), ("pyotr", "petr", "piotr")),
    (("volodymyr",), ("vladimir",)),
    (("dmytro",), ("dmitry", "dmitriy", "dmitri", "dmitrii")),
    (("pavlo",), ("pavel",)),
    (("kostiantyn", "kostyantyn"), ("konstantin",)),
    (("fedir",), ("fyodor", "fedor")),
    (("kyrylo",), ("kirill",)),
    (("mykyta",), ("nikita",)),
    (("danylo",), ("daniil", "danila")),
    (("yevhen", "yevhenii", "yevheniy"), ("yevgeny", "yevgeniy", "evgeny", "evgeniy", "evgenii")),
    (("hennadii", "hennadiy"), ("gennady", "gennadiy", "gennadi")),
    (("serhii", "serhiy"), ("sergey", "sergei", "sergej")),
    (("andrii", "andriy"), ("andrey", "andrei")),
    (("yurii", "yuriy"), ("yuri", "yury")),
    (("hryhorii", "hryhoriy"), ("grigory", "grigoriy", "grigori")),
    (("illia", "illya"), ("ilya", "ilia")),
    (("ihor",), ("igor",)),
    (("oleh",), ("oleg",)),
    (("anatolii", "anatoliy"), ("anatoly",)),
    (("valerii", "valeriy"), ("valery",)),
    (("vitalii", "vitaliy"), ("vitaly",)),
    (("maksym",), ("maksim", "maxim")),
    (("bohdan",), ("bogdan",)),
    (("denys",), ("denis",)),
    (("artem",), ("artyom",)),
    (("matvii", "matviy"), ("matvey",)),
    (("olena",), ("yelena", "elena")),
    (("olha",), ("olga",)),
    (("nataliia", "nataliya"), ("natalya", "natalia")),
    (("tetiana", "tetyana"), ("tatyana", "tatiana")),
    (("liudmyla", "lyudmyla"), ("lyudmila", "ludmila")),
    (("halyna",), ("galina",)),
    (("iryna",), ("irina",)),
    (("kateryna",), ("yekaterina", "ekaterina")),
    (("yuliia",), ("yulia", "yuliya")),
    (("mariia",), ("maria", "mariya")),
    (("larysa",), ("larisa",)),
    (("svitlana",), ("svetlana",)),
    (("liubov",), ("lyubov",)),
    (("nadiia", "nadiya"), ("nadezhda",)),
    (("valentyna",), ("valentina",)),
    (("viktoriia",), ("viktoriya", "victoria")),
    (("vira",), ("vera",)),
)


def with_name_pairs(table: NameTable) -> NameTable:
    """`table` (rigour's symbols of an index's words) with the Ukrainian / Russian name pairs above, for every word
    of them, listed or not: a query word finds its other form whatever the index holds."""
    out = dict(table)
    for ukrainian, russian in UKRAINIAN_RUSSIAN_NAMES:
        symbol = PAIR_SYMBOL + russian[0]
        for word in (*ukrainian, *russian):
            out[word] = out.get(word, frozenset()) | {symbol}
    return out


if __name__ == "__main__":  # python -m sanctions.match.name_table [idle seconds]
    serve(sys.stdin, sys.stdout, float(sys.argv[1]) if len(sys.argv) > 1 else IDLE_SECONDS)
