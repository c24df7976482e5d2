"""Child rows (DRUG, REAC, OUTC, RPSR, THER, INDI) of the synthetic cases, keyed by case index."""

from __future__ import annotations

import numpy as np
import polars as pl

from etl import demo_profile as P
from etl.demo_draw import REFERENCE, UNKNOWN_INDICATION, _dates, _draw_terms, _pick, _terms
from etl.demo_onset import draw_kratom_starts

ROLE_CODES = np.array(["PS", "SS", "C", "I"], dtype=object)
DOSE_COLUMNS = ("nda_num", "dose_amt", "dose_unit", "dose_form", "dose_freq")
DRUG_VOCAB_COLUMNS = ("drugname", "prod_ai", "route", "indication", *DOSE_COLUMNS)


def draw_children(rng: np.random.Generator, cases: dict, event_days: np.ndarray) -> dict:
    """Child tables as polars frames with `case_idx` and `_r` (row order within a case)."""
    vocab = _vocab()
    drugs = _draw_drugs(rng, cases, vocab)
    first_drug = drugs.filter(pl.col("_r") == 1).sort("case_idx")["vocab_id"].to_numpy()
    return {
        "DRUG": drugs.drop("kind", "indication", "vocab_id"),
        "REAC": _draw_reactions(rng, cases, vocab, first_drug),
        "OUTC": _draw_outcomes(rng, cases),
        "RPSR": _draw_sources(rng, cases),
        "THER": _draw_therapies(rng, drugs, event_days),
        "INDI": _draw_indications(rng, drugs),
    }


def _vocab() -> dict[str, np.ndarray]:
    frame = pl.read_csv(REFERENCE / "demo_drugs.csv", infer_schema=False).fill_null("")
    out = {c: frame[c].to_numpy().astype(object) for c in frame.columns}
    out["weight"] = frame["weight"].cast(float).to_numpy()
    return out


def _role_index(rng, shares: dict[str, float], n: int) -> np.ndarray:
    codes = list(ROLE_CODES)
    weights = [shares.get(c, 0.0) for c in codes]
    return _pick(rng, weights, n)


def _drug_rows(rng, cases: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Case index, kind (0 kratom, 1 co-exposure, 2 other) and drug_seq of every drug row."""
    kratom, only = cases["is_kratom"], cases["is_kratom_only"]
    n = kratom.size
    n_other = np.where(
        kratom, np.where(only, 0, rng.poisson(0.7, n)), 1 + rng.poisson(P.DRUGS_EXTRA_MEAN, n)
    )
    n_co = np.where(kratom & ~only, 1 + np.minimum(rng.poisson(1.0, n), 5), 0)
    idx = np.arange(n)
    case_idx = np.concatenate([idx[kratom], np.repeat(idx, n_co), np.repeat(idx, n_other)])
    kind = np.repeat([0, 1, 2], [kratom.sum(), n_co.sum(), n_other.sum()])
    role = np.where(
        only, _role_index(rng, P.KRATOM_ONLY_ROLES, n), _role_index(rng, P.KRATOM_ROLES, n)
    )
    cases["kratom_role"] = role
    # Kratom first when it is the primary suspect, after the co-exposures otherwise.
    kratom_key = np.array([0.0, 15.0, 90.0, 90.0])[role[case_idx]]
    key = np.where(kind == 0, kratom_key, 10 * kind + rng.random(kind.size))
    order = np.lexsort((key, case_idx))
    case_idx, kind = case_idx[order], kind[order]
    starts = np.cumsum(np.bincount(case_idx, minlength=n)) - np.bincount(case_idx, minlength=n)
    return case_idx, kind, np.arange(case_idx.size) - starts[case_idx] + 1


def _draw_drugs(rng, cases: dict, vocab: dict[str, np.ndarray]) -> pl.DataFrame:
    case_idx, kind, seq = _drug_rows(rng, cases)
    n = case_idx.size
    pool = np.where(kind == 0, cases["kratom_pool"][case_idx], "background").astype(object)
    pool[kind == 1] = "coexposure"
    vocab_id = np.zeros(n, dtype=int)
    for name in np.unique(pool):
        rows, ids = pool == name, np.flatnonzero(vocab["pool"] == name)
        vocab_id[rows] = ids[_pick(rng, vocab["weight"][ids], int(rows.sum()))]
    v = {c: pl.Series(vocab[c], dtype=pl.String).gather(vocab_id) for c in DRUG_VOCAB_COLUMNS}
    has_dose = pl.Series(kind == 2) & pl.Series(rng.random(n) < 0.5)
    kratom_values, kratom_weights = _terms("kratom_dose")
    kratom_dose = pl.Series(kratom_values, dtype=pl.String).gather(_pick(rng, kratom_weights, n))
    unknown = pl.Series(np.array(["UNK", ""])[(rng.random(n) < 0.5).astype(int)])
    dose_text = v["dose_amt"] + " " + v["dose_unit"] + ", " + v["dose_freq"]
    lot = pl.Series(rng.integers(10**4, 10**5, n)).cast(pl.String)
    frame = pl.DataFrame({"case_idx": case_idx, "_r": seq, "kind": kind, "vocab_id": vocab_id})
    return frame.with_columns(
        indication=v["indication"],
        drug_seq=pl.col("_r").cast(pl.String),
        role_cod=_codes(ROLE_CODES, _drug_roles(rng, cases, case_idx, kind, seq)),
        drugname=v["drugname"],
        prod_ai=v["prod_ai"],
        val_vbm=_codes(["1", "2"], (rng.random(n) < 0.1).astype(int)),
        route=pl.when(pl.Series(rng.random(n) < 0.9)).then(v["route"]).otherwise(pl.lit("")),
        dose_vbm=pl.when(has_dose)
        .then(dose_text)
        .when(pl.col("kind") == 0)
        .then(kratom_dose)
        .otherwise(unknown),
        cum_dose_chr=pl.lit(""),
        cum_dose_unit=pl.lit(""),
        dechal=_codes(["U", "", "Y", "N", "D"], _pick(rng, [35, 35, 15, 10, 5], n)),
        rechal=_codes(["U", "", "N", "Y", "D"], _pick(rng, [30, 50, 10, 5, 5], n)),
        lot_num=pl.when(pl.Series(rng.random(n) < 0.04)).then("L" + lot).otherwise(pl.lit("")),
        exp_dt=pl.lit(""),
        **{c: pl.when(has_dose).then(v[c]).otherwise(pl.lit("")) for c in DOSE_COLUMNS},
    )


def _codes(values, idx: np.ndarray) -> pl.Series:
    return pl.Series(list(values), dtype=pl.String).gather(idx)


def _drug_roles(rng, cases, case_idx, kind, seq) -> np.ndarray:
    n = kind.size
    in_kratom_case = cases["is_kratom"][case_idx]
    other = np.where(
        in_kratom_case,
        _role_index(rng, {"C": 0.9, "SS": 0.1}, n),
        _role_index(rng, {"SS": 0.25, "C": 0.75}, n),
    )
    role = np.where(kind == 1, _role_index(rng, {"SS": 0.45, "C": 0.5, "I": 0.05}, n), other)
    role = np.where(seq == 1, 0, role)
    return np.where(kind == 0, cases["kratom_role"][case_idx], role)


def _background_terms(rng, vocab: dict[str, np.ndarray], suspect: np.ndarray) -> np.ndarray:
    """One PT per background reaction row whose case's primary suspect is vocab row `suspect`:
    from the drug's reaction profile for a share of rows, else from its reweighted background."""
    common, weights = _terms("reaction_background")
    spread = rng.lognormal(0.0, P.PROFILE_SPREAD, (vocab["drugname"].size, common.size))
    own = rng.random(suspect.size) < P.PROFILE_REACTION_SHARE
    terms = np.empty(suspect.size, dtype=object)
    for drug in np.unique(suspect):
        rows, profile = suspect == drug, vocab["reaction_profile"][drug]
        terms[rows] = common[_pick(rng, weights * spread[drug], int(rows.sum()))]
        if profile:
            rows &= own
            terms[rows] = _draw_terms(rng, f"profile_{profile}", int(rows.sum()))
    return terms


def _draw_reactions(rng, cases: dict, vocab: dict, first_drug: np.ndarray) -> pl.DataFrame:
    """Kratom cases draw from kratom's terms; background cases after their primary suspect."""
    n = cases["qi"].size
    case_idx = np.repeat(np.arange(n), 1 + np.minimum(rng.poisson(P.REACTIONS_EXTRA_MEAN, n), 7))
    m = case_idx.size
    first = np.r_[True, case_idx[1:] != case_idx[:-1]]
    kratom_pt = np.where(
        first & cases["dies"][case_idx],
        _draw_terms(rng, "reaction_kratom_fatal", m),
        _draw_terms(rng, "reaction_kratom", m),
    )
    pt = kratom_pt.copy()
    background = ~cases["is_kratom"][case_idx]
    pt[background] = _background_terms(rng, vocab, first_drug[case_idx[background]])
    keep = ~cases["is_salmonella"][case_idx]
    salmonella_terms = pl.read_csv(REFERENCE / "demo_terms.csv").filter(kind="reaction_salmonella")
    salmonella_cases = np.flatnonzero(cases["is_salmonella"])
    terms = salmonella_terms["term"].to_numpy().astype(object)
    frame = pl.DataFrame({
        "case_idx": np.r_[case_idx[keep], np.repeat(salmonella_cases, terms.size)],
        "pt": np.r_[pt[keep], np.tile(terms, salmonella_cases.size)],
    })  # fmt: skip
    frame = frame.sort("case_idx", maintain_order=True).unique(["case_idx", "pt"], keep="first",
                                                               maintain_order=True)  # fmt: skip
    return frame.with_columns(_r=pl.int_range(pl.len()), drug_rec_act=pl.lit(""))


def _draw_outcomes(rng, cases: dict) -> pl.DataFrame:
    codes = list(P.OUTCOME_SHARES)
    shares = np.array([P.OUTCOME_SHARES[c] for c in codes])  # (codes, 2)
    kratom = cases["is_kratom"]
    chance = np.where(kratom[:, None], shares[:, 1], shares[:, 0])
    has = rng.random(chance.shape) < chance
    has[:, codes.index("DE")] |= cases["dies"]
    salmonella = cases["is_salmonella"]
    has[salmonella] = False
    has[salmonella, codes.index("HO")] = rng.random(int(salmonella.sum())) < 0.4
    case_idx, code = np.nonzero(has)
    return pl.DataFrame({"case_idx": case_idx, "_r": code, "outc_cod": np.array(codes)[code]})


def _draw_sources(rng, cases: dict) -> pl.DataFrame:
    n = cases["qi"].size
    case_idx = np.flatnonzero(rng.random(n) < P.RPSR_SHARE)
    codes = _draw_terms(rng, "rpsr", case_idx.size)
    return pl.DataFrame(
        {"case_idx": case_idx, "_r": np.zeros(case_idx.size, int), "rpsr_cod": codes}
    )


def _draw_therapies(rng, drugs: pl.DataFrame, event_days: np.ndarray) -> pl.DataFrame:
    rows = drugs.filter(pl.Series(rng.random(drugs.height) < P.THERAPY_SHARE))
    n = rows.height
    event = event_days[rows["case_idx"].to_numpy()]
    start = event - rng.integers(0, 400, n)
    days = rng.integers(1, 400, n)
    has_end = rng.random(n) < 0.5
    start_text = np.where(rng.random(n) < 0.8, _dates(start), _dates(start, "%Y%m"))
    # Kratom's own starts replace the draws above, which are kept so that every later draw of
    # `rng` is unchanged; they come from a spawned generator (etl/demo_onset.py).
    kratom = rows["kind"].to_numpy() == 0
    start[kratom], start_text[kratom] = draw_kratom_starts(rng.spawn(1)[0], event[kratom])
    return rows.select("case_idx", "_r", dsg_drug_seq="drug_seq").with_columns(
        start_dt=pl.Series(start_text),
        end_dt=pl.Series(np.where(has_end, _dates(start + days), "")),
        dur=pl.Series(np.where(has_end, days.astype(str), "")),
        dur_cod=pl.Series(np.where(has_end, "DAY", "")),
    )


def _draw_indications(rng, drugs: pl.DataFrame) -> pl.DataFrame:
    rows = drugs.filter(pl.Series(rng.random(drugs.height) < P.INDICATION_SHARE))
    n, kind = rows.height, rows["kind"].to_numpy()
    own = rows["indication"].to_numpy().astype(object)
    own = np.where((own != "") & (rng.random(n) < 0.7), own, UNKNOWN_INDICATION)
    term = np.select(
        [kind == 0, kind == 1],
        [_draw_terms(rng, "indication_kratom", n), _draw_terms(rng, "indication_coexposure", n)],
        own,
    )
    return rows.select("case_idx", "_r", indi_drug_seq="drug_seq").with_columns(
        indi_pt=pl.Series(term)
    )
