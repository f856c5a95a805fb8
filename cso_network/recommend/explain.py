"""Plain-language reasons for a suggestion, and the JSON of ``cso-network recommend``.

:func:`reasons` turns one row of :func:`~cso_network.recommend.score.recommend_all`
into one to three sentences, taken from the components that contribute most
to its score; :func:`suggestions_records` gives the list of JSON-ready dicts
of one organization's suggestions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from cso_network import vocab
from cso_network.core.messages import Message, Seq, country, join, msg, nmsg, term
from cso_network.core.model import Dataset
from cso_network.recommend.features import OrgFeatures
from cso_network.recommend.score import COMPONENTS, relieves_cut_point

__all__ = ["reasons", "suggestions_records"]

_MAX_REASONS = 3


def _name(f: OrgFeatures, i: int) -> str:
    """The organization's name, or its id when it has none."""
    name = f.names[i] if i < len(f.names) else ""
    return name if name and name.strip() and name != "None" else f.orgs[i]


def _covers(risks: list[str], practices: list[str], who: str) -> Message | None:
    """The complementarity sentence: what the candidate covers that ``who`` does not.

    Risk factors are named (up to three, then "and N more"); practices are
    named when they come alone (up to two, then "and N more practices") and
    counted after risk factors, so the sentence never chains "and" three times.

    Examples
    --------
    >>> _covers(["2", "5", "7"], ["legal aid", "advocacy"], "Org A")
    'Covers risk factors 2, 5 and 7 and 2 more practices that Org A does not'
    >>> _covers(["3"], [], "Org A")
    'Covers risk factor 3 that Org A does not'
    >>> _covers([], ["legal aid", "advocacy", "monitoring", "research"], "Org A")
    'Covers legal aid, advocacy and 2 more practices that Org A does not'
    >>> _covers(["1", "2", "3", "4", "5"], ["legal aid"], "Org A")
    'Covers 5 risk factors (1, 2, 3, ...) and 1 more practice that Org A does not'
    """
    if not risks and not practices:
        return None
    names = [term("practice", p) for p in practices]
    if not risks:
        what = join(names, limit=2, more=_more_practices)
    else:
        if len(risks) == 1:
            what = msg("risk factor {number}", number=risks[0])
        elif len(risks) <= 3 or not practices:
            what = msg("risk factors {numbers}", numbers=join(risks, limit=3))
        else:
            what = nmsg("{n} risk factor ({first}, ...)", "{n} risk factors ({first}, ...)",
                        len(risks), first=Seq(risks[:3]))
        if practices:
            what = msg("{items} and {last}", items=what, last=_more_practices(len(practices)))
    return msg("Covers {what} that {who} does not", what=what, who=who)


# "and N more ...": Babel's extractor misses templates inside lambdas, so these are functions.
def _more_practices(k: int) -> Message:
    return nmsg("{n} more practice", "{n} more practices", k)


def _more_topics(k: int) -> Message:
    return nmsg("{n} more topic", "{n} more topics", k)


def _more_seminars(k: int) -> Message:
    return nmsg("{n} more seminar", "{n} more seminars", k)


def _common(f: OrgFeatures, i: int, j: int) -> Message | None:
    """Partners in common: the organizations both declared a collaboration with."""
    P = f.collaborated
    a = P.indices[P.indptr[i]:P.indptr[i + 1]]
    b = P.indices[P.indptr[j]:P.indptr[j + 1]]
    partners = len(np.intersect1d(a, b, assume_unique=True))
    if partners == 0:
        return None
    return nmsg("{n} partner in common", "{n} partners in common", partners)


def _labels(bits: int, labels: tuple[str, ...]) -> list[str]:
    return [lab for k, lab in enumerate(labels) if bits >> k & 1]


def _first_in_fields(f: OrgFeatures, i: int, j: int) -> list[str]:
    """Fields both organizations work in where no declared tie yet joins their two countries.

    Read from :attr:`OrgFeatures.field_ties` (ties whose two ends both work
    in the field); empty for organizations in one country or of unknown
    country.
    """
    ci, cj = f.country[i], f.country[j]
    if ci < 0 or cj < 0 or ci == cj or f.field_ties.shape[0] <= max(ci, cj):
        return []
    shared = int(f.thematic_bits[i] & f.thematic_bits[j])
    return [x for k, x in enumerate(vocab.FIELDS)
            if shared >> k & 1 and f.field_ties[ci, cj, k] == 0]


def _reason(name: str, i: int, j: int, f: OrgFeatures, org_id: str) -> Message | None:
    """The sentence of component ``name`` for the pair (i, j), or None when it has nothing to say."""
    nf = len(vocab.FIELDS)
    if name == "thematic_fit":
        shared = int(f.thematic_bits[i] & f.thematic_bits[j])
        items = ([term("field", x) for x in _labels(shared, vocab.FIELDS)]
                 + [term("practice", x) for x in _labels(shared >> nf, vocab.PRACTICES)])
        if not items:
            return None
        topics = join(items, limit=3, more=_more_topics)
        return msg("Both work on {topics}", topics=topics)
    if name == "met_before":
        both = [s for s in f.seminars[i] if s in set(f.seminars[j])]
        if not both:
            return None
        seminars = join([f.seminar_labels.get(s, s) for s in both], limit=3, more=_more_seminars)
        return msg("Met at {seminars}", seminars=seminars)
    if name == "proximity":
        return _common(f, i, j)
    if name == "complementarity":
        npr = len(vocab.PRACTICES)
        new = int(f.coverage_bits[j] & ~f.coverage_bits[i])
        risks = [str(k + 1) for k in range(len(vocab.RISK_FACTORS)) if new >> (npr + k) & 1]
        practices = _labels(new, vocab.PRACTICES)
        return _covers(risks, practices, _name(f, i))
    if name == "cross_border":
        ci, cj = f.country[i], f.country[j]
        if ci < 0 or cj < 0 or ci == cj:
            return None
        a, b = f.countries[ci], f.countries[cj]
        status = f.gap_pairs.get((a, b))
        if status == "missing":
            return msg("{a} and {b} have no declared collaboration yet",
                       a=country(a), b=country(b))
        firsts = _first_in_fields(f, i, j)
        if firsts:
            return msg("Would be the first {a}–{b} tie in {fields}", a=country(a),
                       b=country(b), fields=join([term("field", x) for x in firsts]))
        if status == "thin":
            return msg("{a} and {b} have few declared collaborations",
                       a=country(a), b=country(b))
        return msg("A cross-border tie ({a}–{b})", a=country(a), b=country(b))
    if name == "bridging":
        anchor = f.anchor
        if relieves_cut_point(f, np.array([i]), np.array([j]))[0]:
            x = i if anchor[i] >= 0 else j  # the one that depends on a cut point (i first)
            return msg("Would give {org} a link that does not depend on {cut_point}",
                       org=_name(f, x), cut_point=_name(f, anchor[x]))
        if f.community[i] != f.community[j]:
            return msg("Would connect two different clusters of the network")
        return None
    if name == "language":
        li, lj = f.language[i], f.language[j]
        if li < 0 or lj < 0:
            return None
        if li == lj:
            return msg("Same language group ({group})", group=f.languages[li])
        return msg("Related languages ({a}, {b})", a=f.languages[li], b=f.languages[lj])
    return None


def reasons(row: Mapping[str, Any] | pd.Series, features: OrgFeatures,
            dataset: Dataset | None = None) -> list[Message]:
    """One to three plain-language reasons for one suggestion.

    Parameters
    ----------
    row : mapping or pandas.Series
        A row of :func:`~cso_network.recommend.score.recommend_all`: ``org_id``,
        ``candidate`` and the component contributions.
    features : OrgFeatures
        The features the row was computed from.
    dataset : Dataset, optional
        Not needed (the features carry seminar labels and gaps); accepted so
        callers can pass what they have.

    Returns
    -------
    list of Message
        Sentences (English text that :func:`cso_network.core.messages.render` can
        say in another language) for the largest contributions first (ties in component
        order), at most three; components that contribute nothing, or have
        nothing specific to say, are skipped.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> from cso_network.recommend.score import recommend_all
    >>> ds = generate_programme(seed=1).dataset
    >>> f = build_features(ds)
    >>> row = recommend_all(ds, features=f, top=1).iloc[0]
    >>> 1 <= len(reasons(row, f)) <= 3
    True
    """
    del dataset
    org_id, cand = str(row["org_id"]), str(row["candidate"])
    i, j = features.index[org_id], features.index[cand]
    ranked = sorted(COMPONENTS, key=lambda c: (-float(row[c]), COMPONENTS.index(c)))
    out: list[Message] = []
    for name in ranked:
        if float(row[name]) <= 0 or len(out) >= _MAX_REASONS:
            continue
        sentence = _reason(name, i, j, features, org_id)
        if sentence:
            out.append(sentence)
    return out


def suggestions_records(frame: pd.DataFrame, features: OrgFeatures,
                        dataset: Dataset | None = None) -> list[dict[str, Any]]:
    """The JSON records of ``cso-network recommend`` for suggestion rows.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of :func:`~cso_network.recommend.score.recommend_for` (or of
        ``recommend_all``, then every organization's rows in turn).
    features : OrgFeatures
    dataset : Dataset, optional
        Passed on to :func:`reasons`.

    Returns
    -------
    list of dict
        ``{"org_id": candidate, "name", "country", "score", "components":
        {component: contribution}, "reasons": [...]}`` in the frame's order
        (rank order); numbers rounded to 4 decimals.

    Examples
    --------
    >>> from cso_network.demo.synth import generate_programme
    >>> from cso_network.recommend.features import build_features
    >>> from cso_network.recommend.score import recommend_for
    >>> ds = generate_programme(seed=1).dataset
    >>> f = build_features(ds)
    >>> recs = suggestions_records(recommend_for(ds, "ORG-001", features=f, top=2), f)
    >>> sorted(recs[0])
    ['components', 'country', 'name', 'org_id', 'reasons', 'score']
    """
    if frame.empty:
        return []
    # columns once, not a pandas row per suggestion (10x faster for --all)
    orgs = frame["org_id"].astype(str).to_numpy()
    candidates = frame["candidate"].astype(str).to_numpy()
    scores = frame["score"].to_numpy(dtype=float)
    parts = {k: frame[k].to_numpy(dtype=float) for k in COMPONENTS}
    out = []
    for t, cand in enumerate(candidates):
        row = {"org_id": orgs[t], "candidate": cand, **{k: parts[k][t] for k in COMPONENTS}}
        j = features.index[cand]
        c = features.country[j]
        out.append({
            "org_id": cand,
            "name": features.names[j],
            "country": features.countries[c] if c >= 0 else None,
            "score": round(float(scores[t]), 4),
            "components": {k: round(float(parts[k][t]), 4) for k in COMPONENTS},
            "reasons": reasons(row, features, dataset),
        })
    return out
