"""Independent NumPy float64 reference for tessera.moe (every routing mode).

The semantics are those documented on `tessera.moe` and its routing
attributes (docs/Tessera/TesseraOps.md, TesseraAttrs.md). Written from the
documentation, not from the compiler. Tokens are the rows of x reshaped to
[T, d]; every routing function returns a list, per token, of
(expert, weight) pairs, and `moe` combines them.

Run directly for a self-check (prints PASS lines).
"""

import math

import numpy as np


# --- expert MLPs ---------------------------------------------------------

def gelu(x):
    return 0.5 * x * (1.0 + np.vectorize(math.erf)(x / math.sqrt(2.0)))


def silu(x):
    return x / (1.0 + np.exp(-x))


def ffn(x, w_up, w_down, activation, w_gate=None, b_up=None, b_down=None,
        b_gate=None):
    """One expert on tokens x [n, d]: W_up [f, d], W_down [d, f]."""
    h = x @ w_up.T + (0.0 if b_up is None else b_up)
    if activation == "swiglu":
        g = x @ w_gate.T + (0.0 if b_gate is None else b_gate)
        h = silu(g) * h
    elif activation == "gelu":
        h = gelu(h)
    elif activation == "silu":
        h = silu(h)
    else:
        raise ValueError(activation)
    return h @ w_down.T + (0.0 if b_down is None else b_down)


# --- ranking -------------------------------------------------------------

def _order(values, candidates):
    """candidates sorted by: NaN first, then larger value, then lower index."""
    return sorted(candidates,
                  key=lambda i: (0 if math.isnan(values[i]) else 1,
                                 0.0 if math.isnan(values[i]) else -values[i],
                                 i))


def _softmax(v):
    v = np.asarray(v, dtype=np.float64)
    e = np.exp(v - np.max(v))
    return e / e.sum()


def capacity(assignments, tokens, experts, factor):
    """C = min(T, max(1, ceil(assignments * factor / E))), in float64."""
    v = float(assignments) * factor / float(experts)
    if not math.isfinite(v) or v >= tokens:
        return tokens
    return max(1, math.ceil(v))


def _apply_capacity(routes, experts, cap):
    """Keeps each expert's first `cap` assignments in token order."""
    if cap is None:
        return routes
    used = [0] * experts
    kept = []
    for token in routes:
        row = []
        for e, w in token:
            if used[e] < cap:
                used[e] += 1
                row.append((e, w))
        kept.append(row)
    return kept


# --- routing modes -------------------------------------------------------

def _token_choice_one(logits, k, order, renormalize, allowed):
    top = _order(logits, allowed)[:k]
    if order == "softmax_then_topk":
        p = _softmax([logits[i] for i in allowed])
        prob = dict(zip(allowed, p))
        w = [prob[i] for i in top]
        if renormalize:
            s = sum(w)
            w = [x / s for x in w]
    elif order == "topk_then_softmax":
        w = list(_softmax([logits[i] for i in top]))
    else:
        raise ValueError(order)
    return list(zip(top, w))


def token_choice(x, w_g, k, order="softmax_then_topk", renormalize=False,
                 capacity_factor=None):
    """#tessera.token_choice: x [T, d], w_g [E, d]."""
    t, e = x.shape[0], w_g.shape[0]
    logits = x @ w_g.T
    routes = [_token_choice_one(logits[i], k, order, renormalize,
                                list(range(e))) for i in range(t)]
    cap = None if capacity_factor is None else capacity(k * t, t, e,
                                                        capacity_factor)
    return _apply_capacity(routes, e, cap)


def expert_choice(x, w_g, capacity_factor):
    """#tessera.expert_choice: each expert picks its top-C tokens."""
    t, e = x.shape[0], w_g.shape[0]
    s = np.array([_softmax(row) for row in x @ w_g.T])
    cap = capacity(t, t, e, capacity_factor)
    routes = [[] for _ in range(t)]
    for j in range(e):
        for i in _order(s[:, j], list(range(t)))[:cap]:
            routes[i].append((j, s[i, j]))
    return routes


def task_conditioned(x, w_g, sample_of, task, tasks, k,
                     order="softmax_then_topk", renormalize=False,
                     experts=None, capacity_factor=None):
    """#tessera.task_conditioned: w_g [tasks, E, d]; task[] or task[B];
    sample_of[t] is token t's sample; experts: row-major table or None."""
    t, e = x.shape[0], w_g.shape[1]
    task = np.asarray(task).reshape(-1)
    m = e if experts is None else len(experts) // tasks
    routes = []
    for i in range(t):
        tau = int(task[0] if task.size == 1 else task[sample_of[i]])
        if not 0 <= tau < tasks:
            routes.append([])
            continue
        allowed = (list(range(e)) if experts is None
                   else list(experts[tau * m:(tau + 1) * m]))
        logits = x[i] @ w_g[tau].T
        routes.append(_token_choice_one(logits, k, order, renormalize,
                                        allowed))
    cap = None if capacity_factor is None else capacity(k * t, t, e,
                                                        capacity_factor)
    return _apply_capacity(routes, e, cap)


def category_conditioned(t, sample_of, category, categories, experts):
    """#tessera.category_conditioned: equal weights over the row's experts."""
    category = np.asarray(category).reshape(-1)
    m = len(experts) // categories
    routes = []
    for i in range(t):
        c = int(category[0] if category.size == 1 else category[sample_of[i]])
        if not 0 <= c < categories:
            routes.append([])
        else:
            routes.append([(int(j), 1.0 / m)
                           for j in experts[c * m:(c + 1) * m]])
    return routes


# --- the layer -----------------------------------------------------------

def tokens_per_expert(routes, experts):
    n = np.zeros(experts, dtype=np.int64)
    for token in routes:
        for e, _ in token:
            n[e] += 1
    return n


def moe(x, routes, w_up, w_down, activation, w_gate=None, b_up=None,
        b_down=None, b_gate=None, shared_up=None, shared_down=None,
        shared_gate=None):
    """y (x's shape) = Σ w·FFN_e(x_t) + Σ_s SharedFFN_s(x_t); x [T, d] or
    [B, N, d]; routes from one of the routing functions on x [T, d]."""
    shape = x.shape
    xt = x.reshape(-1, shape[-1]).astype(np.float64)
    y = np.zeros_like(xt)
    for i, token in enumerate(routes):
        for e, w in token:
            y[i] += w * ffn(xt[i:i + 1], w_up[e], w_down[e], activation,
                            None if w_gate is None else w_gate[e],
                            None if b_up is None else b_up[e],
                            None if b_down is None else b_down[e],
                            None if b_gate is None else b_gate[e])[0]
    if shared_up is not None:
        for s in range(shared_up.shape[0]):
            y += ffn(xt, shared_up[s], shared_down[s], activation,
                     None if shared_gate is None else shared_gate[s])
    return y.reshape(shape)


# --- self-check ----------------------------------------------------------

def _check(name, ok):
    print(("PASS " if ok else "FAIL ") + name)
    return ok


def main():
    rng = np.random.default_rng(0)
    t, d, f, e = 12, 8, 16, 4
    x = rng.standard_normal((t, d))
    w_g = rng.standard_normal((e, d))
    w_up = rng.standard_normal((e, f, d)) / 4
    w_down = rng.standard_normal((e, d, f)) / 4
    w_gate = rng.standard_normal((e, f, d)) / 4
    outs = np.stack([ffn(x, w_up[j], w_down[j], "swiglu", w_gate[j])
                     for j in range(e)])  # [E, T, d]
    p = np.array([_softmax(row) for row in x @ w_g.T])  # [T, E]
    dense = np.einsum("te,etd->td", p, outs)
    ok = True

    y = moe(x, token_choice(x, w_g, k=e), w_up, w_down, "swiglu", w_gate)
    ok &= _check("token_choice k=E softmax_then_topk == dense mixture",
                 np.allclose(y, dense, rtol=1e-12, atol=1e-12))

    y = moe(x, expert_choice(x, w_g, capacity_factor=float(e)), w_up,
            w_down, "swiglu", w_gate)
    ok &= _check("expert_choice C=T == every token by every expert",
                 np.allclose(y, dense, rtol=1e-12, atol=1e-12))

    # Renormalised softmax_then_topk equals topk_then_softmax.
    a = token_choice(x, w_g, 2, "softmax_then_topk", renormalize=True)
    b = token_choice(x, w_g, 2, "topk_then_softmax")
    ok &= _check("renormalized softmax_then_topk == topk_then_softmax",
                 all([i for i, _ in ra] == [i for i, _ in rb] and
                     np.allclose([w for _, w in ra], [w for _, w in rb])
                     for ra, rb in zip(a, b)))

    # Ties go to the lower expert index; NaN ranks first.
    ok &= _check("ties to the lower index, NaN first",
                 _order([1.0, 2.0, 2.0, float("nan")], [0, 1, 2, 3])
                 == [3, 1, 2, 0])

    # Capacity drops in token order.
    routes = token_choice(x, w_g, 1, capacity_factor=0.5)
    cap = capacity(t, t, e, 0.5)
    counts = tokens_per_expert(routes, e)
    ok &= _check("capacity caps every expert",
                 cap == 2 and counts.max() <= cap)

    # Task-conditioned: a subset of one expert with k = 1 is that expert.
    sample_of = [i // 6 for i in range(t)]
    w_gt = rng.standard_normal((2, e, d))
    r = task_conditioned(x, w_gt, sample_of, [0, 1], 2, 1,
                         experts=[2, 3])
    ok &= _check("task subset routes to the task's expert",
                 [[j for j, _ in row] for row in r]
                 == [[2]] * 6 + [[3]] * 6)
    r = task_conditioned(x, w_gt, sample_of, 5, 2, 1)
    ok &= _check("out-of-range task routes nowhere", r == [[]] * t)

    # Category-conditioned with shared experts.
    r = category_conditioned(t, sample_of, [1, 0], 2, [0, 1, 2, 3])
    y = moe(x, r, w_up, w_down, "swiglu", w_gate, shared_up=w_up[:1],
            shared_down=w_down[:1], shared_gate=w_gate[:1])
    want = outs[0].copy()
    want[:6] += 0.5 * (outs[2][:6] + outs[3][:6])
    want[6:] += 0.5 * (outs[0][6:] + outs[1][6:])
    ok &= _check("category routing with a shared expert",
                 np.allclose(y, want, rtol=1e-12, atol=1e-12))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
