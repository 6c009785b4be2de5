"""One slack function per classical lemma that the Theorem 1 proof graph cites.

Each `*_slack` returns rhs - lhs of the lemma (in bits) on one concrete
distribution; the lemma holds on that draw when the slack is >= -TOL. An
equality is checked as two inequalities: its slack is -|lhs - rhs|. Each
lemma has a BROKEN twin (`broken_*_slack`): a plausible wrong version of the
step that the same machinery must refute with a concrete distribution. The
statements are those of docs/theory.md section 3 (and section 5 for the
list-decoding Fano of Lemma T).
"""

from __future__ import annotations

import math

import numpy as np

from osp.infotheory import entropy as ent
from osp.infotheory.draws import push_forward

#: a lemma "holds on a draw" when its slack is at least -TOL (float rounding)
TOL = 1e-9


# --- step 1: Fano, and the projection of out-of-alphabet predictions ---------

def fano_slack(p_x_y: np.ndarray) -> float:
    """Fano: H(X | Y') <= h(Pe) + Pe log2(V - 1), X and Y' on the same alphabet [V]."""
    values = p_x_y.shape[0]
    assert p_x_y.shape == (values, values) and values >= 2
    pe = 1.0 - float(np.trace(p_x_y))
    return ent.fano_f(pe, values) - ent.cond_entropy(p_x_y, [0], [1])


def project_predictions(p_x_yhat: np.ndarray, v0: int) -> np.ndarray:
    """p[x, y'] where Y' = Yhat if Yhat < V (a value) else v0 (docs/theory.md step 1)."""
    values = p_x_yhat.shape[0]
    p = p_x_yhat[:, :values].copy()
    p[:, v0] += p_x_yhat[:, values:].sum(axis=1)
    return p


def error_of(p_x_yhat: np.ndarray) -> float:
    """P(Yhat != X); prediction columns >= V are never equal to a value."""
    values = p_x_yhat.shape[0]
    return 1.0 - float(np.trace(p_x_yhat[:, :values]))


def fano_projection_slack(p_x_yhat: np.ndarray, v0: int) -> float:
    """Step 1 in full: eps' <= eps and Fano for the projected Y'.

    p_x_yhat has shape (V, V + extra): predictions V.. V+extra-1 are outside
    the value alphabet (a vocabulary-wide argmax).
    """
    eps = error_of(p_x_yhat)
    p_proj = project_predictions(p_x_yhat, v0)
    eps_proj = error_of(p_proj)
    return min(eps - eps_proj, fano_slack(p_proj))


def broken_fano_unprojected_slack(p_x_yhat: np.ndarray, v0: int = 0) -> float:
    """WRONG: Fano with log2(V - 1) applied to Yhat itself, which may be no value at all.

    When Yhat is outside the alphabet and wrong, X still ranges over all V
    values, not V - 1 (V = 2, Yhat always out of alphabet: H = 1 > h(1) + 0).
    """
    values = p_x_yhat.shape[0]
    eps = error_of(p_x_yhat)
    return ent.fano_f(eps, values) - ent.cond_entropy(p_x_yhat, [0], [1])


# --- DPI on Markov chains ------------------------------------------------------

def dpi_slack(p_xyz: np.ndarray) -> float:
    """X -> Y -> Z Markov: I(X; Z) <= I(X; Y) and I(X; Z) <= I(Y; Z)."""
    ixz = ent.mutual_info(p_xyz, [0], [2])
    return min(ent.mutual_info(p_xyz, [0], [1]) - ixz, ent.mutual_info(p_xyz, [1], [2]) - ixz)


def broken_dpi_slack(p_xyz: np.ndarray) -> float:
    """WRONG: the DPI claimed for a triple that is not a Markov chain."""
    return dpi_slack(p_xyz)


def markov_gap(p_xyz: np.ndarray) -> float:
    """I(X; Z | Y): zero exactly for Markov chains (used to label draws)."""
    return ent.cond_mutual_info(p_xyz, [0], [2], [1])


# --- step 2: conditioning reduces entropy; Y' a function of the conditioning ---

def conditioning_slack(p_x_a: np.ndarray, g: np.ndarray) -> float:
    """B = g(A): H(X | A) <= H(X | B) <= H(X).

    A stands for (S, W, v_<i, K) flattened into one axis, B for Y'.
    """
    q = push_forward(p_x_a, 1, np.asarray(g), int(np.max(g)) + 1)  # (X, A, B)
    h_a = ent.cond_entropy(q, [0], [1])
    h_b = ent.cond_entropy(q, [0], [2])
    return min(h_b - h_a, ent.entropy(q, [0]) - h_b)


def broken_conditioning_slack(p_x_a_b: np.ndarray) -> float:
    """WRONG: H(X | A) <= H(X | B) for a B that is NOT a function of A (it may peek at X)."""
    return ent.cond_entropy(p_x_a_b, [0], [2]) - ent.cond_entropy(p_x_a_b, [0], [1])


# --- step 3 and 5: chain rules (equalities, checked both ways) -----------------

def chain_rule_slack(p: np.ndarray) -> float:
    """-(largest deviation) over the chain rules the proof uses; axes (v_1..v_n, C), n >= 1.

    * H(X, Y) = H(X) + H(Y | X) = H(Y) + H(X | Y) for the first two axes;
    * step 3: sum_i H(v_i | C, v_<i) = H(v_1..v_n | C), C the last axis;
    * step 5 (when there are >= 4 axes: Z, S, W, then K):
      I(Z; S, W | K) = I(Z; W | K) + I(Z; S | W, K).
    Conditional entropies on the left come from `cond_entropy_by_definition`
    (sum_b p(b) H(A | B=b)), joint ones from the whole table: the two sides
    share no formula.
    """
    n = p.ndim - 1
    ref = ent.cond_entropy_by_definition
    dev = []
    hxy = ent.entropy(p, [0, 1])
    dev.append(ent.entropy(p, [0]) + ref(p, [1], [0]) - hxy)
    dev.append(ent.entropy(p, [1]) + ref(p, [0], [1]) - hxy)
    lhs = sum(ref(p, [i], [n, *range(i)]) for i in range(n))
    dev.append(lhs - (ent.entropy(p) - ent.entropy(p, [n])))
    if p.ndim >= 4:
        z, s, w, k = [0], [1], [2], list(range(3, p.ndim))
        i_zsw = ref(p, z, k) - ref(p, z, [*s, *w, *k])
        i_zw = ref(p, z, k) - ref(p, z, [*w, *k])
        i_zs_w = ref(p, z, [*w, *k]) - ref(p, z, [*s, *w, *k])
        dev.append(i_zsw - (i_zw + i_zs_w))
    return -max(abs(d) for d in dev)


def broken_chain_rule_slack(p: np.ndarray) -> float:
    """WRONG: the chain rule without the past, sum_i H(v_i | C) = H(v_1..v_n | C)."""
    n = p.ndim - 1
    lhs = sum(ent.cond_entropy_by_definition(p, [i], [n]) for i in range(n))
    return -abs(lhs - (ent.entropy(p) - ent.entropy(p, [n])))


# --- step 6: MI <= entropy, conditioning, entropy <= log support -------------

def entropy_support_slack(p_zsw: np.ndarray) -> float:
    """Axes (Z, S, W): I(Z; S | W) <= H(S | W) <= H(S) <= log2 |supp S|."""
    i = ent.cond_mutual_info(p_zsw, [0], [1], [2])
    h_s_w = ent.cond_entropy(p_zsw, [1], [2])
    h_s = ent.entropy(p_zsw, [1])
    support = int(np.count_nonzero(ent.marginal(p_zsw, [1]) > 0))
    return min(h_s_w - i, h_s - h_s_w, math.log2(support) - h_s)


def broken_entropy_support_slack(p_zsw: np.ndarray) -> float:
    """WRONG: 'conditioning reduces mutual information', I(Z; S | W) <= I(Z; S) (XOR refutes it)."""
    return ent.mutual_info(p_zsw, [0], [1]) - ent.cond_mutual_info(p_zsw, [0], [1], [2])


# --- step 8: Jensen for h and for f(e) = h(e) + e log(V-1) ------------------

def jensen_slack(weights: np.ndarray, points: np.ndarray, values: int) -> float:
    """sum_i w_i f(e_i) <= f(sum_i w_i e_i) for f = h and f = h + e log2(V-1) (concave)."""
    mean = float(np.dot(weights, points))
    slacks = []
    for f in (ent.binary_entropy, lambda e: ent.fano_f(e, values)):
        slacks.append(f(mean) - float(sum(w * f(e) for w, e in zip(weights, points))))
    return min(slacks)


def broken_jensen_slack(weights: np.ndarray, points: np.ndarray, values: int) -> float:
    """WRONG: Jensen reversed, f(mean) <= mean of f."""
    mean = float(np.dot(weights, points))
    return float(sum(w * ent.binary_entropy(e) for w, e in zip(weights, points))) - ent.binary_entropy(mean)


# --- continuity of h (modulus of continuity) ---------------------------------

def h_continuity_slack(a: float, b: float, values: int) -> float:
    """|h(a) - h(b)| <= h(|a - b|) and |Dfn(a) - Dfn(b)| <= h(d) + d log2(V-1), d = |a - b|.

    h(d) -> 0 as d -> 0, so this is a modulus of continuity on all of [0, 1],
    endpoints included (h is NOT Lipschitz there: see the broken twin). It
    holds for every d in [0, 1] because a concave f with f(0) = 0 is subadditive.
    """
    d = abs(a - b)
    s1 = ent.binary_entropy(d) - abs(ent.binary_entropy(a) - ent.binary_entropy(b))
    s2 = ent.fano_f(d, values) - abs(ent.dfn(a, values) - ent.dfn(b, values))
    return min(s1, s2)


LIPSCHITZ_CLAIM = 10.0


def broken_h_continuity_slack(a: float, b: float, values: int = 2) -> float:
    """WRONG: h is 10-Lipschitz (false near 0 and 1, where h' is unbounded)."""
    return LIPSCHITZ_CLAIM * abs(a - b) - abs(ent.binary_entropy(a) - ent.binary_entropy(b))


# --- step 10: mean value theorem for Dfn, and what it is used for -------------

def mvt_point(a: float, b: float, values: float, iterations: int = 200) -> float:
    """c in [a, b] with Dfn'(c) = (Dfn(b) - Dfn(a)) / (b - a), by bisection.

    Dfn' = -log2((1-e)(V-1)/e) is strictly increasing (Dfn'' = 1/(e(1-e) ln 2)),
    so the root is unique when the secant slope lies between Dfn'(a+) and Dfn'(b-).
    """
    slope = (ent.dfn(b, values) - ent.dfn(a, values)) / (b - a)
    lo, hi = a, b
    for _ in range(iterations):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        if ent.dfn_derivative(mid, values) < slope:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


#: the narrowest interval on which the mean-value point can be located in floating point
MVT_MIN_WIDTH = 1e-9


def mvt_dfn_slack(a: float, b: float, values: float) -> float:
    """For 0 <= a < b <= 1: (i) the MVT equation at the bisected c holds to TOL;
    (ii) the derivative formula agrees with a central difference at c; (iii) the
    use in step 10: b <= 1 - 1/V implies Dfn(a) >= Dfn(b).

    Honest scope: (i) and (ii) sample the MVT on Dfn, they do not prove it; (iii)
    samples the monotonicity the z3/sympy nodes prove symbolically.
    """
    if not b - a > MVT_MIN_WIDTH:  # narrower, bisection cannot place c strictly inside: nothing is checked
        raise ValueError(f"mvt_dfn_slack needs b - a > {MVT_MIN_WIDTH}")
    c = mvt_point(a, b, values)
    if not a < c < b:
        raise ValueError(f"mvt_point returned {c!r}, not strictly between {a!r} and {b!r}")
    lhs = ent.dfn(b, values) - ent.dfn(a, values)
    slacks = [-abs(ent.dfn_derivative(c, values) * (b - a) - lhs)]
    step = 1e-6 * min(c, 1.0 - c)
    if step > 1e-9:
        fd = (ent.dfn(c + step, values) - ent.dfn(c - step, values)) / (2 * step)
        # a relative agreement of 1e-4 is what a central difference can certify
        slacks.append(1e-4 * (1.0 + abs(fd)) - abs(fd - ent.dfn_derivative(c, values)))
    if b <= 1.0 - 1.0 / values:
        slacks.append(ent.dfn(a, values) - ent.dfn(b, values))
    return min(slacks)


def broken_mvt_dfn_slack(a: float, b: float, values: float) -> float:
    """WRONG: Dfn decreasing on all of [0, 1] (it rises again beyond 1 - 1/V)."""
    return ent.dfn(a, values) - ent.dfn(b, values)


# --- Lemma T: list-decoding Fano ---------------------------------------------

def best_list_hit(p_pos_s: np.ndarray, cbar: int) -> float:
    """P(pos in L(S)) for the adversarial list: the cbar most likely positions given each s."""
    top = np.sort(p_pos_s, axis=0)[::-1][:cbar]  # (cbar, S)
    return float(top.sum())


def list_fano_slack(p_pos_s: np.ndarray, cbar: int) -> float:
    """pos uniform on [N], N > cbar, any list of <= cbar positions chosen from S:
    P(hit) <= (I(pos; S) + 1) / log2(N / cbar)."""
    n = p_pos_s.shape[0]
    assert n > cbar >= 1
    i = ent.mutual_info(p_pos_s, [0], [1])
    return (i + 1.0) / math.log2(n / cbar) - best_list_hit(p_pos_s, cbar)


def broken_list_fano_slack(p_pos_s: np.ndarray, cbar: int) -> float:
    """WRONG: without the +1, P(hit) <= I(pos; S) / log2(N / cbar) (guessing refutes it)."""
    n = p_pos_s.shape[0]
    i = ent.mutual_info(p_pos_s, [0], [1])
    return i / math.log2(n / cbar) - best_list_hit(p_pos_s, cbar)
