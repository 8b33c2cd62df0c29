"""The list side, precomputed once: every name prepared, token weights (IDF), and lookup tables from fuzzy keys
to names, so a query touches only the names that share a key with it — never a scan of all names.

Keys per listed token: the token itself, the concatenation of adjacent tokens (Abdul Rahman → abdulrahman),
its one-deletion neighbourhood (typos, OCR, transpositions: two strings within a small edit distance share a
deletion variant), metaphone, consonant skeleton (transliteration variants, Arabic script), Korean romanisation
fold (Korean-looking names only), OCR key, the token with its inner vowels left out (COMERCIAL → CMRCL,
whose skeleton reads the c hard) and, for long tokens, its letter variants folded (W → V, H → G ...: a name back
from Cyrillic); a long query word no listed word spells is also looked up as three listed
words run together (ELFAROAZUL / EL FARO AZUL). Candidate names are ranked by the summed IDF weight of the query
tokens they share a key with (a listed word merely like a query word weighing no more than the one that is it);
the best `MatchSettings.candidates` are scored in full. An untyped name with a legal form in it is looked up by its
organisation reading only. A name that reads two ways (a person's SURNAME, ABDUL: `normalize.readings`) is indexed,
and looked up, both ways.
"""

from __future__ import annotations

import copy
import gc
import itertools
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np

from sanctions.match.features import (
    ACRONYM_MAX,
    EntityFacts,
    Query,
    east_slavic_fold,
    letter_variants_folded,
    name_initials,
    token_weight,
)
from sanctions.match.name_table import (
    NAME_TABLES,
    ORG_SYMBOL,
    NameTable,
    merged,
    org_symbols,
    org_words,
    with_name_pairs,
)
from sanctions.match.normalize import (
    PARTICLES,
    Prepared,
    Token,
    final_vowel_h,
    latin_skeleton,
    one_syllable,
    query_readings,
    readings,
    renumber,
    skeleton_readings,
    vowels_dropped,
)
from sanctions.match.settings import DEFAULT, MatchSettings
from sanctions.model import PERSON, PRIMARY, STRONG, Entity

_DIGIT = re.compile(r"\d")  # a fused pair with digits (VESSEL 1 / VESSEL1) is no lookup key


@dataclass(slots=True)
class NameRec:
    entity: int  # position in Index.entities
    text: str
    kind: str  # primary / aka / fka / nka
    strength: str  # strong / weak
    prepared: Prepared
    weights: tuple[float, ...]


@dataclass(slots=True, frozen=True)
class EntityRef:
    """What a match reports of an entity (`Index.for_screening_only`)."""

    id: str
    source: str
    kind: str
    caption: str


def _looked_up(t: Token) -> bool:
    """A query token whose keys are looked up: no particle, no lone letter (a lone digit is a number)."""
    return not t.particle and (len(t.text) > 1 or t.number)


def _may_be_a_name(t: Token) -> bool:
    """A listed word worth asking rigour's name table about: a Latin word of three letters or more, not a number
    and not one Chinese or Korean syllable (the table links too many of those, MEI / WEI, each a name in its own
    right)."""
    return not (t.cross or t.number or t.particle) and len(t.text) >= 3 and not one_syllable(t.text)


def _person_words(names: list[Prepared], s: MatchSettings, table: NameTable) -> frozenset[str]:
    """The words the list uses in persons' names and (almost) never in companies' (given names, surnames): such
    a word added to a company's name names another party (`features.align`). A word in fewer persons' names
    counts too when rigour's name table (`table`) knows it as a person's name and no company's name has it."""
    in_person: dict[str, int] = defaultdict(int)
    in_other: dict[str, int] = defaultdict(int)
    for p in names:
        counts = in_person if p.person else in_other
        for t in {t.text for t in p.tokens if not (t.particle or t.number or t.cross) and len(t.text) > 1}:
            counts[t] += 1
    known_min = s.person_word_known_min_names
    # (a list, no closure: the compiled build keeps to module functions, see normalize.Prepared)
    return frozenset([
        w for w, n in in_person.items()
        if (n >= s.person_word_min_names
            and in_other.get(w, 0) <= s.person_word_max_org_share * (n + in_other.get(w, 0)))
        or (0 < known_min <= n and w not in in_other and _known_person_name(w, table))
    ])


def _known_person_name(word: str, table: NameTable) -> bool:
    """Whether rigour's name table gives `word` a person-name symbol (not only organisation symbols)."""
    return any([not x.startswith(ORG_SYMBOL) for x in table.get(word, ())])


def deletions(text: str) -> list[str]:
    return [text[:i] + text[i + 1 :] for i in range(len(text))]


# Approximate similarity of each key channel, used to rank candidates before full scoring.
_EXACT, _FUSED, _DEL, _PHON = 1.0, 0.95, 0.8, 0.8
ACRONYM_KEY_MIN = 3  # a query word this long at least is looked up as a listed name's acronym (two letters: too many)
FEW_POSTINGS = 256  # a query token finding at most this many listed names gathers them in a dict, not arrays
TOKEN_HITS_ENTRIES = 65536  # query tokens whose candidate contributions are kept (the older half dropped when full)
_NO_NAMES, _NO_VALUES = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)


class BoundedCache:
    """A bounded map: when full, the older half of the entries goes (a dict keeps insertion order, so a lookup
    costs nothing more). Threads may share one: an entry another thread dropped first is skipped."""

    def __init__(self, max_entries: int = 50_000):
        self.max_entries = max_entries
        self._d: dict = {}

    def get(self, key):
        return self._d.get(key)

    def put(self, key, value) -> None:
        d = self._d
        if len(d) >= self.max_entries:
            for k in list(itertools.islice(d, len(d) // 2 or 1)):
                d.pop(k, None)
        d[key] = value

    def __len__(self) -> int:
        return len(self._d)


class Index:
    def __init__(self, settings: MatchSettings = DEFAULT):
        self.settings = settings
        self.entities: list[Entity] = []
        self.facts: list[EntityFacts] = []
        self.names: list[NameRec] = []
        self.df: dict[str, int] = {}
        self.skel_df: dict[str, int] = {}
        self.n_names = 0
        self.source_of_name = np.zeros(0, dtype=np.int16)
        self.source_ids: dict[str, int] = {}
        self._post: list[np.ndarray] = []  # key id -> name ids
        self._key_weight: list[float] = []  # key id -> IDF weight of the listed token
        self._exact: dict[str, int] = {}  # token text (and fused adjacent tokens) -> key id
        self._fused_kids: frozenset[int] = frozenset()  # the key ids of fused adjacent tokens (no listed word)
        self._dels: dict[str, list[int]] = {}
        self._meta: dict[str, list[int]] = {}
        self._skel: dict[str, list[int]] = {}
        self._kfold: dict[str, list[int]] = {}
        self._ocr: dict[str, list[int]] = {}
        self._devowelled: dict[str, list[int]] = {}  # a listed word, its inner vowels left out (CMRCL) -> key ids
        self._initials: dict[str, int] = {}  # a listed (non-person) name's initials (NRT) -> key id
        self._variants: dict[str, list[int]] = {}  # a listed word, its letter variants folded (VOLFGAVEN) -> key ids
        # a listed Belarusian / Ukrainian romanisation's consonants as Russian writes them (PETRAU: PTRF) -> key ids
        self._east_slavic: dict[str, list[int]] = {}
        self._ids: dict[str, list[int]] = {}  # normalised identifier -> entity positions
        self.first_name: dict[int, int] = {}  # entity position -> its first (primary) name id
        self.name_table: NameTable = {}  # word -> its person-name and organisation symbols (`match.name_table`)
        self.person_words: frozenset[str] = frozenset()  # words only listed persons' names use (`_person_words`)
        self._log_n = 1.0
        # (query token uid, Korean, a pair of words) -> `_token_hits_of`: common given names and words recur from
        # query to query
        self._token_hits = BoundedCache(TOKEN_HITS_ENTRIES)
        self._local: threading.local | None = None  # per-thread scratch arrays (`_scratch`)

    # -- build ---------------------------------------------------------------------------------------------------
    @classmethod
    def build(cls, entities: Iterable[Entity], settings: MatchSettings = DEFAULT, names: bool = True,
              queries: bool = False) -> Index:
        """Build the index. The cyclic GC is paused meanwhile (the build allocates millions of long-lived objects,
        which would trigger repeated full collections) and the result is frozen into the permanent generation, so
        later full collections never traverse it: a full GC pass over a big index costs ~1 s, paid by whichever
        query happens to trigger it. `names=False` leaves out the person-name table (an index only used to
        generate candidates); `queries=True` reads persons' names as queries are read (`query_readings`: a
        customer file's index, whose names the re-screen scores as the forward screen does)."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            self = cls._build(entities, settings, names, queries)
        finally:
            if enabled:
                gc.enable()
        gc.freeze()
        return self

    @classmethod
    def _build(cls, entities: Iterable[Entity], settings: MatchSettings, names: bool, queries: bool) -> Index:
        self = cls(settings)
        warm = names  # start the name-table helper at the first word it has not answered (`NAME_TABLES`)
        recs: list[tuple[int, str, str, str, Prepared]] = []
        for e in entities:
            pos = len(self.entities)
            self.entities.append(e)
            facts = EntityFacts.of(e)
            self.facts.append(facts)
            for ident in facts.identifiers:
                self._ids.setdefault(ident, []).append(pos)
            seen: set[str] = set()
            for n in e.names:
                if not n.text or not n.text.strip():
                    continue
                as_query = queries and e.kind == PERSON
                for p in query_readings(n.text) if as_query else readings(n.text, e.kind):  # `prepare`'s first
                    if not p.tokens or (p.key, n.strength) in seen:
                        continue
                    seen.add((p.key, n.strength))
                    recs.append((pos, n.text, n.kind or PRIMARY, n.strength or STRONG, p))
                    if warm and any([_may_be_a_name(t) and not NAME_TABLES.asked(t.text) for t in p.tokens]):
                        NAME_TABLES.warm()  # its helper loads rigour's tagger while the rest is prepared
                        warm = False
        self.source_ids = {s: i for i, s in enumerate(sorted({e.source for e in self.entities}))}

        # document frequencies
        df: dict[str, int] = defaultdict(int)
        skel_df: dict[str, int] = defaultdict(int)
        for *_, p in recs:
            for t in {t.text for t in p.tokens}:
                df[t] += 1
            for sk in {skeleton_readings(t.skel)[0] for t in p.tokens}:
                skel_df[sk] += 1
        self.df, self.skel_df = dict(df), dict(skel_df)
        self.n_names = len(recs)
        self._log_n = math.log(max(self.n_names, 2))

        postings: dict[str, list[int]] = defaultdict(list)
        key_tok: dict[str, Token] = {}
        fused_keys: set[str] = set()
        src = np.zeros(len(recs), dtype=np.int16)
        for nid, (pos, text, kind, strength, p) in enumerate(recs):
            weights = tuple(self.weight_of(t) for t in p.tokens)
            self.first_name.setdefault(pos, len(self.names))
            self.names.append(NameRec(pos, text, kind, strength, p, weights))
            src[nid] = self.source_ids[self.entities[pos].source]
            toks = p.tokens
            keys = {t.text: t for t in toks if not t.particle and (len(t.text) > 1 or t.number)}
            for ab in p.fused:
                fused = ab.text
                if not _DIGIT.search(fused) and fused not in keys:  # number words fuse as written (BLUEONE)
                    keys[fused] = ab
                    fused_keys.add(fused)
            for k, t in keys.items():
                lst = postings[k]
                if not lst or lst[-1] != nid:
                    lst.append(nid)
                key_tok.setdefault(k, t)
        self.source_of_name = src

        fused_kids: set[int] = set()
        for k, nids in postings.items():
            kid = len(self._post)
            self._exact[k] = kid
            self._post.append(np.array(nids, dtype=np.int32))
            t = key_tok[k]
            self._key_weight.append(self.weight_of(t))
            if t.number:
                continue
            if len(t.skel) >= 2:
                for sk in skeleton_readings(t.skel):
                    self._skel.setdefault(sk, []).append(kid)
                if not t.cross and final_vowel_h(t.text):  # Falah: فلاح as well as فلاة (features._token_sim_raw)
                    self._skel.setdefault(t.skel + "h", []).append(kid)
            self._kfold.setdefault(t.kfold, []).append(kid)
            if k in fused_keys and k not in self.df:  # fused keys: exact, skeleton and Korean lookups only
                fused_kids.add(kid)
                continue
            if len(k) >= 4:
                for d in deletions(k):
                    self._dels.setdefault(d, []).append(kid)
            if len(t.meta) >= 2:
                self._meta.setdefault(t.meta, []).append(kid)
            if t.ocr != k:
                self._ocr.setdefault(t.ocr, []).append(kid)
            slavic = east_slavic_fold(k) if not t.cross else k
            if slavic != k and len(k) >= 4:
                self._east_slavic.setdefault(latin_skeleton(slavic), []).append(kid)
            if 0 < self.settings.letter_variants_two_min <= len(k) and not t.cross:
                folded = letter_variants_folded(k)
                if folded != k:
                    self._variants.setdefault(folded, []).append(kid)
            if len(k) >= 4 and not t.cross:
                for short in vowels_dropped(k):
                    if short != k:
                        self._devowelled.setdefault(short, []).append(kid)
        initials: dict[str, list[int]] = defaultdict(list)
        for nid, (*_, p) in enumerate(recs):
            if not p.person:
                for a in name_initials(p.tokens):
                    lst = initials[a]
                    if not lst or lst[-1] != nid:
                        lst.append(nid)
        self._fused_kids = frozenset(fused_kids)
        for a, nids in initials.items():
            self._initials[a] = len(self._post)
            self._post.append(np.array(nids, dtype=np.int32))
            self._key_weight.append(max(self.settings.min_weight, 1.0 - math.log(len(nids)) / self._log_n))
        if names:
            self.name_table = merged(
                with_name_pairs(NAME_TABLES.lookup({t.text for *_, p in recs for t in p.tokens if _may_be_a_name(t)})),
                org_symbols({t.text for *_, p in recs if not p.person for t in p.tokens if _may_be_a_name(t)}),
                org_words(),
            )
        self.person_words = _person_words([p for *_, p in recs], self.settings, self.name_table)
        return self

    def for_screening_only(self) -> Index:
        """A copy whose entities keep only what a match reports (id, caption, kind, source): a batch worker
        needs no addresses, remarks or raw records, and each process that touches them copies their pages."""
        slim = copy.copy(self)
        slim.entities = [EntityRef(e.id, e.source, e.kind, e.caption) for e in self.entities]
        return slim

    def __getstate__(self) -> dict:
        # this process's token uids and threads
        return {**self.__dict__, "_token_hits": BoundedCache(TOKEN_HITS_ENTRIES), "_local": None}

    def __setstate__(self, state: dict) -> None:
        """Unpickled (index cache, Spark broadcast): renumber the tokens for this process's similarity cache."""
        self.__dict__.update(state)
        self._token_hits, self._local = BoundedCache(TOKEN_HITS_ENTRIES), None
        seen: set[int] = set()
        for rec in self.names:
            p = rec.prepared
            for t in (*p.tokens, *p.fused):
                if id(t) not in seen:
                    seen.add(id(t))
                    renumber(t)
            p.__post_init__()

    # -- weights -------------------------------------------------------------------------------------------------
    def idf(self, tok: Token) -> float:
        if tok.cross:
            n = self.skel_df.get(skeleton_readings(tok.skel)[0], 0)
        else:
            n = self.df.get(tok.text, 0)
        if n <= 1:
            return 1.0
        return max(0.0, 1.0 - math.log(n) / self._log_n)

    def weight_of(self, tok: Token) -> float:
        return token_weight(tok, self.idf(tok), self.settings)

    def query_weights(self, p: Prepared) -> tuple[float, ...]:
        return tuple(self.weight_of(t) for t in p.tokens)

    # -- lookup --------------------------------------------------------------------------------------------------
    def _keys_for(self, t: Token, korean: bool, single: bool, word_pair: bool = False) -> dict[int, float]:
        """The keys a query token finds (key id -> similarity). `single`: a query word; `word_pair`: a fused pair
        of two query words that are looked up themselves."""
        out: dict[int, float] = {}

        def put(kids: Iterable[int], sim: float) -> None:
            for kid in kids:
                if out.get(kid, 0.0) < sim:
                    out[kid] = sim

        kid = self._exact.get(t.text)
        if kid is not None:
            out[kid] = _EXACT
        if t.number:
            return out
        if t.cross:
            for sk in skeleton_readings(t.skel):
                put(self._skel.get(sk, ()), _PHON)
            return out
        if len(t.text) >= 4:
            put(self._dels.get(t.text, ()), _DEL)
            for d in deletions(t.text):
                k2 = self._exact.get(d)
                if k2 is not None:
                    put((k2,), _DEL)
                put(self._dels.get(d, ()), _DEL)
        if len(t.meta) >= 2:
            put(self._meta.get(t.meta, ()), _PHON)
        if len(t.skel) >= 3:
            put(self._skel.get(t.skel, ()), _PHON)
            put(self._east_slavic.get(t.skel, ()), _PHON)  # PETROV: the listed PETRAU
        if len(t.text) >= 4:
            slavic = east_slavic_fold(t.text)
            if slavic != t.text:
                put(self._skel.get(latin_skeleton(slavic), ()), _PHON)  # PETRAU: the listed PETROV
        put(self._ocr.get(t.ocr, ()), _PHON)
        if t.ocr != t.text:  # ... and the listed word the query's OCR reading spells (ARNIR: AMIR)
            k2 = self._exact.get(t.ocr)
            if k2 is not None:
                put((k2,), _PHON)
        if len(t.text) >= 3:
            put(self._devowelled.get(t.text, ()), _DEL)
        if 0 < self.settings.letter_variants_two_min <= len(t.text):
            folded = letter_variants_folded(t.text)
            put(self._variants.get(folded, ()), _DEL)
            k2 = self._exact.get(folded)
            if k2 is not None:
                put((k2,), _DEL)
        if korean:
            put(self._kfold.get(t.kfold, ()), _FUSED)
        if single and ACRONYM_KEY_MIN <= len(t.text) <= ACRONYM_MAX:
            kid = self._initials.get(t.text)
            if kid is not None:
                put((kid,), _DEL)  # perhaps an acronym of a listed name (NRT: NORTHERN RIVER TRADING)
        if single and not out and 0 < self.settings.run_of_three_min <= len(t.text):
            # a query word (not a fused pair of them) no listed word is like: perhaps three run together
            for pieces in self._three_words_in(t.text):
                put(pieces, _DEL)
        if word_pair:
            # two query words fused find a listed word, not a listed pair fused: each word finds that pair's words
            # already (two common words, counted twice, crowded a name sharing one rarer word out of the candidates)
            fused = self._fused_kids
            return {kid: sim for kid, sim in out.items() if kid not in fused}
        return out

    def _three_words_in(self, text: str) -> Iterator[list[int]]:
        """The key ids of listed words that, three run together (particles among them), spell `text`: ELFAROAZUL
        is EL FARO AZUL (`features.align` aligns such a run with the one word). None when two listed words spell it
        (a query's own fused pair of words: the fused keys find those)."""
        exact = self._exact
        n = len(text)
        df = self.df  # listed words themselves, not their fused pairs
        if any([text[:i] in df and text[i:] in df for i in range(1, n)]):
            return
        for i in range(1, n - 1):
            a = text[:i]
            ka = exact.get(a)
            if ka is None and a not in PARTICLES:
                continue
            for j in range(i + 1, n):
                b, c = text[i:j], text[j:]
                kb, kc = exact.get(b), exact.get(c)
                if (kb is not None or b in PARTICLES) and (kc is not None or c in PARTICLES):
                    found = [k for k in (ka, kb, kc) if k is not None]
                    if len(found) >= 2:
                        yield found

    def _scratch(self) -> tuple[np.ndarray, np.ndarray]:
        """Two all-zero float32 arrays over the names, one pair per thread, handed back zeroed after each use:
        screening touches a few hundred of the ~45k names, and a fresh array or a scan of the whole one would cost
        more than the rest of candidate generation."""
        local = self._local
        if local is None:
            local = self._local = threading.local()
        pair = getattr(local, "pair", None)
        if pair is None or len(pair[0]) != self.n_names:
            pair = local.pair = (np.zeros(self.n_names, dtype=np.float32), np.zeros(self.n_names, dtype=np.float32))
        return pair

    def _token_hits_of(self, t: Token, korean: bool, buf: np.ndarray, single: bool, word_pair: bool
                       ) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, float]]]:
        """What one query token contributes to the candidate ranking: the names sharing a key with it (ascending),
        each with its best key's similarity times the listed token's weight; and apart, the keys whose posting
        lists are too long to use unless nothing else matches. `buf`: an all-zero scratch array, left so; `single`:
        a query word, not a fused pair of them."""
        keys = self._keys_for(t, korean, single, word_pair)
        far: list[tuple[np.ndarray, float]] = []
        posts = []
        limit = self.settings.max_postings
        exact = self._exact.get(t.text)
        # a listed word merely like the query word weighs no more than the listed word that is it: a rare
        # neighbour (KARL) must not crowd a common exact word (KALA) out of the candidates
        cap = self._key_weight[exact] if exact is not None else 1.0
        found = 0
        for kid, sim in keys.items():
            post = self._post[kid]
            val = sim * min(self._key_weight[kid], cap)
            if len(post) > limit:
                far.append((post, val))
                continue
            posts.append((post, val))
            found += len(post)
        if not posts:
            return _NO_NAMES, _NO_VALUES, far
        if found <= FEW_POSTINGS:
            # a few names: their best values in a dict, without an array operation per key (each costs more than
            # the names it touches); the same float32 values (rounding keeps the order of values)
            best: dict[int, float] = {}
            get = best.get
            for post, val in posts:
                for n in post.tolist():
                    best[n] = max(get(n, 0.0), val)
            ids = sorted(best)
            return np.array(ids, dtype=np.int32), np.array([best[n] for n in ids], dtype=np.float32), far
        for post, val in posts:
            buf[post] = np.maximum(buf[post], val)  # a posting list holds each name once: maximum.at, cheaper
        names = posts[0][0] if len(posts) == 1 else np.unique(np.concatenate([post for post, _val in posts]))
        vals = buf[names]
        buf[names] = 0.0
        return names, vals, far

    @staticmethod
    def lookup_tokens(query: Query) -> tuple[list[Token], bool, set[str], set[str]]:
        """The query tokens (and fused adjacent pairs) whose keys are looked up, of all its forms; whether the
        name looks Korean; the words among them (not fused pairs); and the fused pairs of two such words."""
        toks: dict[str, Token] = {}
        words: set[str] = set()
        word_pairs: set[str] = set()
        korean = False
        forms = {id(p): p for p in (query.prepared, query.prepared_org, *query.alternates)}
        org = query.prepared_org
        if org is not None and org.forms and org.tokens:
            # a name of unknown kind with a legal form in it is an organisation's: its form's words (JOINT STOCK
            # COMPANY), which listed names carry stripped, would find the few that carry them unstripped first
            forms = {id(org): org}
        for p in forms.values():
            if p is None:
                continue
            korean = korean or p.korean
            for t in p.tokens:
                toks.setdefault(t.text, t)
                words.add(t.text)
            for i, ab in enumerate(p.fused):
                if not _DIGIT.search(ab.text):
                    toks.setdefault(ab.text, ab)
                    if _looked_up(p.tokens[i]) and _looked_up(p.tokens[i + 1]):
                        word_pairs.add(ab.text)
        content = [t for t in toks.values() if _looked_up(t)]
        return content or list(toks.values()), korean, words, word_pairs

    def _accumulate(self, content: list[Token], korean: bool, words: set[str], word_pairs: set[str],
                    acc: np.ndarray, buf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The names sharing a key with the query tokens (ascending) and their summed key weights; `acc` and
        `buf` are all-zero scratch arrays, handed back so."""
        cache = self._token_hits
        touched: list[np.ndarray] = []  # the names given a value (each ascending); acc is zero elsewhere
        deferred: list[tuple[np.ndarray, float]] = []
        for t in content:
            pair = t.text in word_pairs
            hit = cache.get((t.uid, korean, pair))
            if hit is None:
                hit = self._token_hits_of(t, korean, buf, t.text in words, pair)
                cache.put((t.uid, korean, pair), hit)
            names, vals, far = hit
            if len(names):
                acc[names] += vals  # each name once per token: a plain fancy-index add
                touched.append(names)
            deferred.extend(far)
        if not touched and deferred:  # only over-long posting lists matched: use them after all
            for post, val in deferred:
                acc[post] = np.maximum(acc[post], val)
                touched.append(post)
        if not touched:
            return _NO_NAMES, _NO_VALUES
        ids = touched[0] if len(touched) == 1 else np.unique(np.concatenate(touched))
        vals = acc[ids]
        acc[ids] = 0.0
        return ids, vals

    def candidates(self, query: Query, sources: set[str] | None = None) -> np.ndarray:
        """Name ids worth scoring in full, best first."""
        s = self.settings
        content, korean, words, word_pairs = self.lookup_tokens(query)
        acc, buf = self._scratch()
        try:
            ids, vals = self._accumulate(content, korean, words, word_pairs, acc, buf)
        except BaseException:
            acc.fill(0.0)  # the scratch must be handed back zeroed, whatever happened
            buf.fill(0.0)
            raise
        if not len(ids):
            return _NO_NAMES
        if sources is not None:
            allowed = [self.source_ids[x] for x in sources if x in self.source_ids]
            keep = np.isin(self.source_of_name[ids], allowed)
            ids, vals = ids[keep], vals[keep]
        keep = vals != 0
        ids, vals = ids[keep], vals[keep]
        k = s.candidates
        if len(ids) > k:
            sel = np.argpartition(-vals, k)[:k]
            ids, vals = ids[sel], vals[sel]
        order = np.argsort(-vals, kind="stable")
        top, vals = ids[order], vals[order]
        if len(top) > s.min_candidates:
            # past the first few, only names whose key overlap comes close to the best one's are worth scoring
            floor = vals[0] * s.candidate_ratio
            keep_n = max(s.min_candidates, int(np.count_nonzero(vals >= floor)))
            top = top[:keep_n]
        return top

    def entities_by_identifier(self, identifiers: Iterable[str]) -> set[int]:
        out: set[int] = set()
        for i in identifiers:
            out.update(self._ids.get(i, ()))
        return out
