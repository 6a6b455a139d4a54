"""outputs/plugins.py: the order of the outputs follows `after`, and an impossible order is an error."""
from __future__ import annotations

import pytest

from generator.outputs import plugins
from generator.outputs.base import Output


def make(name: str, after: tuple[str, ...] = ()) -> type[Output]:
    return type(name.title(), (Output,), {"name": name, "after": after})


def test_after_moves_an_output_behind_the_ones_it_names():
    a, b, c = make("a", ("c",)), make("b"), make("c")
    assert [o.name for o in plugins.ordered((a, b, c))] == ["b", "c", "a"]


def test_a_cycle_or_an_unknown_name_is_refused():
    with pytest.raises(RuntimeError, match="wait for each other"):
        plugins.ordered((make("a", ("b",)), make("b", ("a",))))
    with pytest.raises(RuntimeError, match="unknown outputs"):
        plugins.ordered((make("a", ("nothing",)),))


def test_the_shipped_outputs_have_unique_names_and_an_order():
    names = [o.name for o in plugins.ordered()]
    assert len(names) == len(set(names)) == len(plugins.OUTPUTS)
