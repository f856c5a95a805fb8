"""The registry of score components: each one's score, reason, label and colour in one place.

Expected values: the seven names and their order are those of docs/recommend.md;
the colours are the Okabe-Ito palette in its published order with grey for
the last component, as the Partners page has always drawn them; the BCS
labels are read from the catalog, dashboard/locale/bs/LC_MESSAGES/messages.po.
"""

from __future__ import annotations

import numpy as np
import pytest

from cso_network.core.exceptions import CsoNetworkError
from cso_network.core.messages import Message
from cso_network.demo.synth import generate_programme
from cso_network.recommend import components
from cso_network.recommend.components import COMPONENTS, Candidates, Component
from cso_network.recommend.features import build_features
from cso_network.recommend.score import (
    LEARNED,
    PRESETS,
    _chunk_candidates,
    check_preset,
    match_pool,
    recommend_all,
    recommend_for,
    resolve_weights,
)

SEVEN = ["proximity", "met_before", "thematic_fit", "complementarity", "cross_border",
         "bridging", "language"]


@pytest.fixture(scope="module")
def demo():
    ds = generate_programme(seed=3).dataset
    return ds, build_features(ds)


def test_the_registry_holds_the_seven_components_in_column_order(demo):
    assert list(COMPONENTS) == SEVEN
    assert all(isinstance(c, Component) and c.name == name for name, c in COMPONENTS.items())
    # each score function is the module's public function of the same name
    assert all(c.score is getattr(components, name) for name, c in COMPONENTS.items())
    ds, f = demo
    assert list(recommend_all(ds, features=f, top=2).columns) == [
        "org_id", "rank", "candidate", "score", *SEVEN]


def test_the_registry_cannot_be_changed_in_place():
    with pytest.raises(TypeError):
        COMPONENTS["size"] = COMPONENTS["language"]  # type: ignore[index]


def test_every_preset_names_exactly_the_registrys_components():
    for name, weights in PRESETS.items():
        assert list(weights) == list(COMPONENTS), name
    assert LEARNED not in PRESETS  # its weights come from the data


def test_labels_are_translatable_messages_and_colours_index_the_palette():
    labels = [c.label for c in COMPONENTS.values()]
    assert labels == ["shared partners", "met before", "similar work", "complementary",
                      "across borders", "bridges clusters", "language"]
    assert all(isinstance(label, Message) and label.template == label for label in labels)
    # the six palette colours in order, grey (-1) for the last
    assert [c.colour for c in COMPONENTS.values()] == [0, 1, 2, 3, 4, 5, -1]


def test_labels_and_colours_as_the_dashboard_shows_them():
    import flask

    from dashboard import i18n
    from dashboard.figures import palette

    assert [palette.colour(c.colour) for c in COMPONENTS.values()] == [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#999999"]
    with flask.Flask(__name__).test_request_context("/?lang=bs"):
        assert i18n.say(COMPONENTS["bridging"].label) == "premošćuje klastere"
        assert i18n.say(COMPONENTS["met_before"].label) == "već se sreli"


def test_values_at_candidates_equal_the_score_functions(demo):
    """proximity and met_before read what finding the candidates computed; the others
    call their score function: either way, the values of the public functions."""
    _, f = demo
    _, C = components._common_neighbour_matrix(f.collaborated, "adamic_adar", False)
    cand = Candidates(*_chunk_candidates(f, np.arange(f.n), 20, C, match_pool(f.n)))
    assert (cand.aa > 0).sum() > 100 and (cand.shared > 0).sum() > 100
    for name, comp in COMPONENTS.items():
        np.testing.assert_allclose(comp.values(f, cand), comp.score(f, cand.rows, cand.cols),
                                   rtol=1e-12, atol=1e-15, err_msg=name)
    assert {n for n, c in COMPONENTS.items() if c.from_candidates} == {"proximity", "met_before"}


def test_each_reason_is_the_sentence_of_its_component(demo):
    ds, f = demo
    recs = recommend_for(ds, "ORG-011", features=f, top=10)
    said = 0
    for cand in recs["candidate"]:
        i, j = f.index["ORG-011"], f.index[cand]
        for name, comp in COMPONENTS.items():
            sentence = comp.reason(f, i, j)
            if name == "language":
                # ORG-011 and every candidate have a country, so a language group
                assert sentence is not None and sentence.startswith(("Same", "Related"))
            said += sentence is not None
    assert said > 2 * len(recs)


def test_one_check_and_one_message_for_an_unknown_preset(demo):
    from cso_network.backtest.evaluate import engine_method

    ds, f = demo
    expected = ("unknown preset 'nope'; presets are balanced, integration, similar-work, "
                "coverage, learned")
    raised = []
    for attempt in (lambda: check_preset("nope"), lambda: resolve_weights("nope"),
                    lambda: recommend_for(ds, "ORG-011", preset="nope", features=f),
                    lambda: engine_method("nope")):
        with pytest.raises(CsoNetworkError) as caught:
            attempt()
        raised.append(str(caught.value))
    assert raised == [expected] * 4


def test_the_learned_preset_takes_every_weight_from_its_caller():
    with pytest.raises(CsoNetworkError, match="missing proximity, met_before"):
        resolve_weights(LEARNED)
    learned = dict.fromkeys(COMPONENTS, 0.0) | {"met_before": 1.0}
    assert resolve_weights(LEARNED, learned) == learned
    # a learned weight may be overridden like any preset's
    assert resolve_weights(LEARNED, learned | {"language": 0.5})["language"] == 0.5
