"""Token-level Krippendorff's alpha (nominal) with the ``krippendorff`` package.

The package's ``alpha()`` wants one row per unit and builds an (units × values × values)
array: for 10,000 articles (seven million tokens, ten labels) that is 5.6 GB per array. But
alpha depends on the data only through the coincidence matrix, which is a sum of one term
per unit, and a term depends only on the values the unit got: units that got the same values
contribute the same term. So each *distinct* unit goes through the package's own
``_coincidences`` once and its term is multiplied by how many units are like it; expected
coincidences, distances and alpha then follow with the package's own functions, exactly as
``alpha()`` chains them. No formula of our own: tests/workflows/test_agreement_alpha.py
checks that the result equals ``krippendorff.alpha`` on the expanded data, and pyproject pins
the versions whose private functions have these signatures.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from krippendorff import krippendorff as _k


def nominal_alpha(units: Mapping[tuple[int, ...], int], values: int) -> float | None:
    """Alpha over ``units`` ({codes the unit got, one per annotator who coded it: how many
    such units}) with codes in ``range(values)``. Units coded by fewer than two annotators
    are not pairable and count for nothing (as in the package). None when alpha is
    undefined: no pairable unit, or every pairable value the same (no expected disagreement).
    """
    rows = [(codes, n) for codes, n in units.items() if len(codes) >= 2 and n > 0]
    if not rows or values < 2:
        return None
    observed = np.zeros((values, values))
    for codes, n in rows:
        counts = np.zeros((1, values), dtype=np.int64)
        for code in codes:
            if not 0 <= code < values:
                raise ValueError(f"value code {code} is outside 0-{values - 1}")
            counts[0, code] += 1
        observed += n * _k._coincidences(counts, dtype=np.float64)
    n_v = observed.sum(axis=0)
    expected = _k._random_coincidences(n_v, dtype=np.float64)
    distances = _k._distances(np.arange(values), _k._nominal_metric, n_v, dtype=np.float64)
    disagreement = (expected * distances).sum()
    if disagreement == 0:
        return None
    return float(1 - (observed * distances).sum() / disagreement)
