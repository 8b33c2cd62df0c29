"""Every number the matcher uses, in one object: token similarities, name-score weights, feature weights and the
default alert threshold. Calibrated on the dev evaluation sets (see docs/ACCURACY.md); change them here, never in
the code."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


@dataclass(frozen=True)
class MatchSettings:
    # --- the operating point ----------------------------------------------------------------------------------
    threshold: float = 0.84  # default alert threshold (picked on the dev sets by `sanctions.evaluate`)

    # --- candidate generation ---------------------------------------------------------------------------------
    candidates: int = 40  # names fully scored per query at most (best by key-overlap weight)
    min_candidates: int = 12  # ... at least (when there are that many)
    candidate_ratio: float = 0.35  # ... past the minimum, only names whose overlap is this share of the best
    max_postings: int = 4000  # a key with more names than this only counts when nothing rarer matched

    # --- token similarity: optimal-string-alignment similarity, lifted by the phonetic channels -------------------
    min_token_sim: float = 0.6  # below this two tokens do not align
    min_fused_sim: float = 0.85  # two adjacent tokens written as one (Abdul Rahman / Abdulrahman)
    run_of_three_min: int = 7  # ... three, in a query word of this many letters at least (ELFAROAZUL / EL FARO AZUL)
    boost_metaphone: float = 0.5  # same metaphone: close this share of the gap to 1
    boost_skeleton: float = 0.4  # same consonant skeleton (Mohammed / Muhammad, vowel-dropped spellings)
    sim_long_skeleton: float = 0.93  # ... at least this alike when the skeleton is long (vowels apart)
    long_skeleton_min: int = 5  # ... of this many consonants
    sim_long_skeleton_vowels: float = 0.9  # ... this alike when the vowels differ in number and place too
    long_skeleton_vowels_min: int = 6  # ... for a skeleton this long, each word with two vowels at least
    sim_cross_script: float = 0.97  # skeleton similarity factor when one side came from Arabic script
    sim_cross_short: float = 0.93  # ... equal skeletons of only one or two consonants (the vowels fitting)
    cross_vowel_mismatch: float = (
        0.85  # ... times this when the Arabic long vowels do not fit the Latin spelling
    )
    cross_single_factor: float = 0.9  # a query of a single Arabic-script word: its name score times this
    sim_korean: float = 0.95  # same Korean romanisation key (RR / McCune-Reischauer / DPRK / popular)
    sim_ocr: float = 0.95  # same OCR / confusables key
    sim_spelling_fold: float = 0.93  # the same after folding ou / u, ee / i, -iy / -y, doubles (MOURAD / MURAD)
    sim_inflection: float = 0.93  # an English plural, -ing form or place adjective (KENYA / KENYAN)
    sim_cognate: float = 0.9  # one word in two languages: a long shared stem (UNIVERSITY / UNIVERSIDAD)
    cognate_min_stem: int = 6  # ... of at least this many letters
    cognate_min_share: float = 0.75  # ... and this share of the shorter word
    sim_letters_moved: float = 0.85  # the same letters, a syllable moved (MONTECILLO / MONTELLICO), first 3 kept
    letters_moved_min: int = 8  # ... in a word this long at least; 0: never
    sim_letter_variant: float = 0.93  # one letter apart, one sound written two ways (KARAT / CARAT)
    letter_variants_two_min: int = 8  # ... two letters, in a word this long (WOLFHAVEN / VOLFGAVEN); 0: never
    sim_folded_variant: float = 0.9  # ... one letter apart once spelling-folded (TAWFEEQ / TAWFIK: ee / i, q / k)
    sim_keyboard_slip: float = 0.85  # ... one letter typed with the key beside it (TECH / TDCH; QWERTY)
    sim_transposed: float = 0.93  # ... two letters side by side swapped (HLAVORSEN / HALVORSEN)
    transposed_min: int = 5  # ... in a word this long at least; 0: never
    sim_abd_dropped: float = 0.85  # a theophoric name without its ABD (RAHIM / ABDUL RAHIM)
    korean_syllable_max: float = 0.8  # two one-syllable Korean words of different keys: two syllables (KANG / KONG)
    sim_east_slavic: float = 0.9  # one name in Belarusian / Ukrainian and Russian romanisation (PETRAU / PETROV)
    sim_name_equivalent: float = 0.96  # one person name in two languages (rigour's name symbols: PYOTR / PETER)
    sim_nickname: float = 0.85  # ... a name and its nickname (WILLIAM / BILL)
    sim_org_symbol: float = 0.9  # one line of business, kind of body or place in two words (rigour's organisation
    # symbols: MARINE / MARITIME, ZAVOD / PLANT, ENG / ENGINEERING, TURKEY / TURKIYE)
    gender_pair_max: float = 0.8  # a name's masculine and feminine forms (KUZNETSOV / KUZNETSOVA) at most this alike
    sim_abbreviation: float = 0.8  # SHPG / SHIPPING, INTL / INTERNATIONAL
    truncation_min_letters: int = 5  # ... and a word cut short, of at least this many letters (TRANS / TRANSPORT)
    sim_vowel_drop: float = 0.92  # MHMMD / MOHAMMED: same consonant skeleton, vowels left out
    sim_vowels_dropped: float = 0.95  # CRPRTVA / CORPORATIVA: a query word is the listed one, inner vowels left out
    sim_acronym: float = 0.85  # an acronym against the words it abbreviates (NRT / NORTHERN RIVER TRADING)
    sim_initial: float = 0.79  # a single letter against a word with that initial (kept below the 0.8 of a
    # five-letter word one letter off: for a listed word both fit, ROUP outranks G in G ROUP / GROUP)
    sim_initial_compound: float = 0.93  # an initial and the name after it against one listed word that begins with
    # the initial and ends with that name: a compound's first part cut to its initial (A. WADUD / ABDULWADUD); 0: never
    sim_prefix: float = 0.80  # the query's last word cut short (fixed-width field) against the full word
    truncation_min_length: int = 18  # ... only for queries at least this long
    truncation_min_prefix: int = 2  # ... and a cut word of at least this many letters

    # --- name score: weighted alignment of the two token bags --------------------------------------------------
    fuzzy_power: float = 2.0  # an aligned pair scores 1 - (1 - sim) * fuzzy_power
    particle_weight: float = 0.15  # al / bin / abu / de / van / co / company ... weigh this much
    initial_weight: float = 0.3  # a single letter weighs at most this much
    min_weight: float = 0.2  # floor of the IDF weight of a very common token
    unmatched_query: float = 1.0  # cost factor of a query token that found no partner (extra names)
    unmatched_candidate: float = (
        0.6  # cost factor of a listed token the query lacks (missing middle names ...)
    )
    unmatched_floor: float = 0.2  # both shrink down to this share as the aligned information grows
    whole_name_weight: float = (
        0.0  # the whole-name token_sort_ratio, times this, is a floor of the name score
    )
    contained_discount: float = 0.4  # one name inside the other (a partial name): unmatched costs times this
    contained_min_sim: float = 0.85  # ... when every aligned pair is at least this similar
    contained_single_min_weight: float = 0.8  # ... or a company's one word, this rare (IDF weight) at least
    contained_single_min_letters: int = 5  # ... and this long (ZORVEX S.A. / ZORVEX ELECTRONICS S.A.)
    contained_cross_min: int = 3  # ... and, Arabic script against Latin, at least this many content tokens aligned
    same_letters_min: int = 6  # the same letters, only the words parted elsewhere (A-LALI / AL-ALI), this many at
    # least: scored spelling_weight
    spelling_weight: float = 0.98  # same tokens spelt differently: letter agreement times this is a floor
    spelling_min_tokens: int = 2  # ... only for names of at least this many aligned content tokens
    spelling_min_letters: int = 8  # ... and letters
    spelling_min_sim: float = 0.6  # ... every aligned pair at least this similar
    swap_unmatched_floor: float = 0.8  # ... nor when each side has a content token the other lacks
    syllabic_unmatched_floor: float = 0.8  # ... not below this between two Korean / Chinese names
    query_extra_max: float = 0.85  # a query with a content word the listed name lacks: above this score ...
    query_extra_slope: float = 0.15  # ... only this share of the rest counts (X TRADING DUBAI / X TRADING)
    other_party_extra_max: float = 0.80  # ... lower, for a person's name added to a company's (another party)
    person_word_min_names: int = 2  # a person's name word: in at least this many listed person names
    person_word_max_org_share: float = 0.1  # ... and at most this share of the listed names it is in companies'
    person_word_known_min_names: int = 1  # ... or in this many, when rigour's name table knows it as a person's
    # name and no listed company's name has it (LEOCADIA: one designated person's given name); 0: never
    unmatched_particle: float = 0.5  # an unmatched particle costs this share of its (already small) weight
    unmatched_patronymic: float = 0.2  # ... an unmatched patronymic (Mikhailovna, Nikolayevich) this share
    patronymic_pair_weight: float = 0.3  # two patronymics aligned but spelt apart weigh this share
    unmatched_inner: float = 0.2  # ... a middle word one side lacks (the other side has no word of its own)
    generic_extra: float = 0.4  # ... a query's extra word naming a line of business or a place (rigour's
    # organisation symbols: TRADING, ENGINEERING, CYPRUS) in a company's name; and a listed name's, when the words
    # found are a brand's (ZORVEX / ZORVEX BANK: `contained_single_min_letters` long or more, no symbol of their own)
    body_for_body: bool = True  # ... and each side's, when all the words either lacks are kinds of body (AGENCY /
    # ASSOCIATION: one body's kind translated two ways), with no floor for a name put in place of another
    body_extra: float = 0.2  # ... each kind of body then costs this, not `generic_extra`
    second_surnames: bool = True  # ... a SURNAME1 SURNAME2, Given name's second surname the other side lacks, as a
    # middle name (VELARDO QUINTANAR, Rosendo / Rosendo VELARDO: the mother's surname, left out at will)
    married_names: bool = True  # ... and a married name, DE and the husband's surname, in place of the second
    # surname, each side's as a middle name (HERRADO DE ORVIETO, Estelvina / HERRADO TALAMANTE, Estelvina)
    second_surname_given_min: int = 2  # ... and so two second surnames, when the first surname and this many
    # given names are found on both sides (HERRADO BALTRANA / HERRADO TALAMANTE, Estelvina Maricela); 0: never
    conflict_max: float = 0.80  # a query word standing where another of the entry's names has a clearly other
    # word (TREMBOVSKY TELMANOV Arkady / TREMBOVSKY GASPARYAN, Arkady, scored against TREMBOVSKY, Arkady):
    # the name score at most this
    conflict_min_letters: int = 4  # ... both words this long at least (shorter: abbreviations, MA. / MARIA)
    conflict_max_ratio: float = 60.0  # ... and less alike than this (rapidfuzz `fuzz.ratio`, 0-100)
    inner_listed_min_tokens: int = 4  # ... a listed name's middle names the query lacks, when it has this many names
    information_ref: float = 4.0  # aligned IDF weight at which that shrinking is complete

    # --- features added to the name score (a value in [-1, 1] times its weight) --------------------------------
    weights: dict[str, float] = field(
        compare=False,
        default_factory=lambda: {
            "weak_alias": 0.05,  # matched name is a weak / low-quality alias: subtract
            "birth_date_match": 0.05,
            "birth_date_conflict": 0.15,
            "nationality_match": 0.03,
            "nationality_conflict": 0.08,
            "kind_conflict": 0.20,  # person query against a company / vessel, or the reverse; a company's name
            # (a legal form in it) against a vessel / aircraft
            "number_conflict": 0.25,  # both names carry numbers and none agree (VESSEL 1 vs VESSEL 2)
            "legal_form_conflict": 0.02,  # LLC vs JSC: a hint, never a reason to match
        },
    )
    identifier_floor: float = 0.97  # an exact passport / IMO / tax id match scores at least this

    def with_(self, **changes) -> MatchSettings:
        return replace(self, **changes)


DEFAULT = MatchSettings()
