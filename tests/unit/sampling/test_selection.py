"""Seeded selection: reproducible, order-independent, within the population, extended by appending."""

import random

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from socready.core.errors import InputError
from socready.core.sampling.draw import Frequency, Risk, draw_sample, extend_sample, rank_ids, selection_key

ids_strategy = st.lists(st.text(min_size=1, max_size=30).filter(lambda s: s.strip()), min_size=1, max_size=80,
                        unique=True)


@settings(max_examples=60, deadline=None)
@given(ids=ids_strategy, seed=st.integers(0, 2**40), size=st.integers(1, 100), data=st.data())
def test_selection_is_a_duplicate_free_subset_of_the_requested_size_in_any_input_order(ids, seed, size, data):
    sample = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=seed, size=size)
    assert len(sample.items) == min(size, len(ids))
    assert len(set(sample.items)) == len(sample.items)
    assert set(sample.items) <= set(ids)
    shuffled = data.draw(st.permutations(ids))
    again = draw_sample(shuffled, frequency=Frequency.DAILY, risk=Risk.LOW, seed=seed, size=size)
    assert again.items == sample.items
    assert again.population_sha256 == sample.population_sha256


@settings(max_examples=60, deadline=None)
@given(ids=ids_strategy, seed=st.integers(0, 2**40), size=st.integers(1, 40), extra=st.integers(0, 40))
def test_extension_keeps_the_first_selection_in_order_and_adds_new_items(ids, seed, size, extra):
    sample = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=seed, size=size)
    bigger = extend_sample(sample, ids, extra)
    assert bigger.items[:sample.size] == sample.items
    assert len(set(bigger.items)) == bigger.size == min(len(ids), sample.size + extra)
    direct = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=seed, size=sample.size + extra)
    assert bigger.items == direct.items


months = st.sampled_from(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"])


@settings(max_examples=60, deadline=None)
@given(pairs=st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda s: s.strip()), months, min_size=1,
                             max_size=120),
       seed=st.integers(0, 10**9), size=st.integers(1, 60), extra=st.integers(0, 20))
def test_spreading_over_months_stays_in_the_window_is_proportional_and_extends_by_appending(pairs, seed, size,
                                                                                             extra):
    ids = list(pairs)
    sample = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=seed, size=size, months=pairs)
    assert len(sample.items) == min(size, len(ids)) and set(sample.items) <= set(ids)
    counts = {m: sum(1 for i in sample.items if pairs[i] == m) for m in set(pairs.values())}
    sizes = {m: sum(1 for i in ids if pairs[i] == m) for m in counts}
    for month, chosen in counts.items():
        # Sainte-Laguë keeps every stratum within one slot of its exact share, capped by its size.
        share = sample.size * sizes[month] / len(ids)
        assert chosen <= sizes[month] and (chosen >= min(sizes[month], int(share) - 1))
    bigger = extend_sample(sample, ids, extra, months=pairs)
    assert bigger.items[:sample.size] == sample.items


def test_selection_order_is_the_ascending_key_order():
    ids = [f"USR-{n}" for n in range(200)]
    sample = draw_sample(ids, frequency=Frequency.CONTINUOUS, risk=Risk.HIGH, seed=77)
    keys = [selection_key(77, i) for i in sample.items]
    assert keys == sorted(keys)
    assert list(sample.items) == rank_ids(ids, 77)[:60]


def test_different_seeds_give_different_samples():
    ids = [f"USR-{n}" for n in range(1000)]
    a = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=1)
    b = draw_sample(ids, frequency=Frequency.DAILY, risk=Risk.LOW, seed=2)
    assert a.items != b.items


@settings(max_examples=30, deadline=None)
@given(ids=st.lists(st.text(max_size=60), min_size=1, max_size=50), seed=st.integers(0, 2**62))
def test_the_python_key_equals_the_sql_key_used_for_large_files(ids, seed):
    with duckdb.connect() as con:
        rows = con.execute("SELECT w, hash(? || w) FROM (SELECT unnest(?) AS w)", [f"{seed}:", ids]).fetchall()
    assert {w: int(k) for w, k in rows} == {w: selection_key(seed, w) for w in ids}


def test_duplicate_or_empty_ids_are_refused_with_their_position():
    try:
        draw_sample(["A", "B", "A"], frequency=Frequency.WEEKLY, risk=Risk.LOW, seed=1)
    except InputError as exc:
        assert exc.entry == "item 3" and "first at item 1" in str(exc)
    else:
        raise AssertionError("duplicate ids were accepted")


def test_extension_refuses_a_population_that_lost_a_sampled_item():
    ids = [f"X{n}" for n in range(50)]
    sample = draw_sample(ids, frequency=Frequency.WEEKLY, risk=Risk.LOW, seed=4)
    remaining = [i for i in ids if i != sample.items[0]]
    random.Random(0).shuffle(remaining)
    try:
        extend_sample(sample, remaining, 5)
    except InputError as exc:
        assert exc.entry == sample.items[0]
    else:
        raise AssertionError("a vanished sampled item went unnoticed")
