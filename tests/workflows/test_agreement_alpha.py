"""Alpha from distinct units with their counts equals krippendorff.alpha on the expanded data."""

from __future__ import annotations

from collections import Counter

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.core.agreement import AgreementTally, Layer
from annotator.workflows.agreement_alpha import nominal_alpha

NAN = np.nan


def units_of(matrix):
    """{sorted codes of one unit: n} from a reliability matrix (coders × units, nan missing)."""
    units = Counter()
    for column in zip(*matrix):
        units[tuple(sorted(int(v) for v in column if v == v))] += 1
    return units


def test_agreement_alpha_krippendorffs_own_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal: 0.691
    data = [[NAN, NAN, NAN, NAN, NAN, 3, 4, 1, 2, 1, 1, 3, 3, NAN, 3],
            [1, NAN, 2, 1, 3, 3, 4, 3, NAN, NAN, NAN, NAN, NAN, NAN, NAN],
            [NAN, NAN, 2, 1, 3, 4, 4, NAN, 2, 1, 1, 3, 3, NAN, 4]]
    assert nominal_alpha(units_of(data), 5) == pytest.approx(0.691358, abs=1e-6)


def test_agreement_alpha_tally_units_against_a_hand_built_reliability_matrix():
    # Three annotators, labels O=0, PER=1, ORG=2. Document 1 (3 tokens) all done, document 2
    # (2 tokens) only a and b, document 3 only c (no unit: fewer than two coders).
    tally = AgreementTally(["a", "b", "c"], ["PER", "ORG"])
    starts, ends = [0, 4, 8], [3, 7, 11]
    tally.add_document(starts, ends, {"a": Layer(((0, 3, "PER"),)), "b": Layer(((0, 7, "PER"),)),
                                      "c": Layer(((4, 7, "ORG"),))})
    tally.add_document([0, 4], [3, 7], {"a": Layer(((4, 7, "ORG"),)), "b": Layer(((4, 7, "ORG"),))})
    tally.add_document([0], [3], {"c": Layer(((0, 3, "PER"),))})
    matrix = [[1, 0, 0, 0, 2],
              [1, 1, 0, 0, 2],
              [0, 2, 0, NAN, NAN]]  # c did not mark document 2 done: missing, not O
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    figures = tally.figures()
    assert figures.tokens == 5
    assert nominal_alpha(figures.alpha_units, len(figures.value_names)) == pytest.approx(expected, abs=1e-12)


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 4).flatmap(lambda coders: st.lists(
    st.lists(st.one_of(st.none(), st.integers(0, 3)), min_size=coders, max_size=coders), min_size=1, max_size=40)))
def test_agreement_alpha_equals_the_package_on_expanded_data(columns):
    matrix = [[NAN if v is None else v for v in row] for row in zip(*columns)]
    pairable = [c for c in columns if sum(v is not None for v in c) >= 2]
    values = {v for c in pairable for v in c if v is not None}
    ours = nominal_alpha(units_of(matrix), 4)
    if not pairable or len(values) < 2:
        assert ours is None  # the package refuses (no pairable unit) or divides 0 by 0
        return
    theirs = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal", value_domain=[0, 1, 2, 3])
    assert ours == pytest.approx(theirs, abs=1e-9)


def test_agreement_alpha_refuses_codes_outside_the_domain():
    with pytest.raises(ValueError):
        nominal_alpha({(0, 5): 1}, 3)
