"""The limits on a YAML text: each one holds exactly at its number, for both YAML loaders."""

from __future__ import annotations

import pytest
import yaml

from faasdrift.desired.yaml_limits import (
    MAX_ALIASES,
    MAX_DEPTH,
    MAX_VALUES,
    DenseText,
    LimitCounter,
    LimitError,
    check_limits,
    count_to_the_end,
    dense_text_checkpoint,
)
from faasdrift.desired.yaml_reader import LOADER, parse_yaml
from faasdrift.errors import DesiredFileError
from faasdrift.model import Position

LOADERS = [yaml.SafeLoader, *([yaml.CSafeLoader] if yaml.__with_libyaml__ else [])]
# The tests that parse 300,000 values use only LOADER, the one faasdrift uses: the pure-Python
# loader takes seconds for them, and the other tests show that it counts the same.


@pytest.fixture(params=LOADERS, ids=lambda loader: loader.__name__)
def loader(request: pytest.FixtureRequest) -> type[yaml.SafeLoader]:
    chosen: type[yaml.SafeLoader] = request.param
    return chosen


def refused(text: str, loader: type[yaml.SafeLoader | yaml.CSafeLoader]) -> LimitError:
    with pytest.raises(LimitError) as caught:
        check_limits(text, loader)
    return caught.value


def nested(levels: int) -> str:
    """A mapping holding ``levels`` levels of flow lists below it: the deepest is at ``levels``."""
    return "a: " + "[" * levels + "]" * levels + "\n"


def flat_list(values: int) -> str:
    """A document of exactly ``values`` values: the mapping, its key, the list, its items."""
    return "a: [" + ",".join(["1"] * (values - 3)) + "]\n"


def test_plain_data_passes(loader: type[yaml.SafeLoader]) -> None:
    check_limits("functions:\n  - name: a\n    envs: {A: b}\n", loader)


def test_depth_up_to_the_limit_passes(loader: type[yaml.SafeLoader]) -> None:
    check_limits(nested(MAX_DEPTH), loader)


def test_one_level_more_is_refused_where_it_starts(loader: type[yaml.SafeLoader]) -> None:
    error = refused(nested(MAX_DEPTH + 1), loader)
    assert error.reason == f"nested deeper than {MAX_DEPTH} levels"
    assert error.position == Position(1, 4 + MAX_DEPTH)


def test_ten_thousand_levels_are_refused_without_recursion(loader: type[yaml.SafeLoader]) -> None:
    # Without the pre-scan the pure-Python composer dies of RecursionError here; libyaml's
    # scanner reads ahead and stops at its own limit of 1,000 levels first.
    with pytest.raises((LimitError, yaml.MarkedYAMLError), match="nest"):
        check_limits(nested(10_000), loader)


def test_an_alias_counts_the_depth_of_what_it_names(loader: type[yaml.SafeLoader]) -> None:
    tall = "[" * 10 + "]" * 10
    deep = "[" * (MAX_DEPTH - 10) + "*t" + "]" * (MAX_DEPTH - 10)
    check_limits(f"a: &t {tall}\nb: {deep}\n", loader)
    deeper = "[" * (MAX_DEPTH - 9) + "*t" + "]" * (MAX_DEPTH - 9)
    error = refused(f"a: &t {tall}\nb: {deeper}\n", loader)
    assert error.reason == f"nested deeper than {MAX_DEPTH} levels"
    assert error.position.line == 2


def test_values_up_to_the_limit_pass() -> None:
    check_limits(flat_list(MAX_VALUES), LOADER)


def test_one_value_more_is_refused() -> None:
    error = refused(flat_list(MAX_VALUES + 1), LOADER)
    assert error.reason == f"more than {MAX_VALUES:,} values once aliases are expanded"


def billion_laughs(levels: int = 9) -> str:
    lines = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_alias_that_overflows(
    loader: type[yaml.SafeLoader],
) -> None:
    # l5 alone expands to 9^6 + ... > 300,000 values; the file is 400 bytes.
    error = refused(billion_laughs(), loader)
    assert error.reason == f"more than {MAX_VALUES:,} values once aliases are expanded"
    assert error.position.line == 6


def aliased_list(items: int) -> str:
    """The root, keys c/a/b, c's list, a list of ``items`` and its alias (as big again): 8 + 2n."""
    return f"c: [d]\na: &x [{', '.join(['v'] * items)}]\nb: *x\n"


def test_an_alias_costs_what_it_expands_to() -> None:
    items = (MAX_VALUES - 8) // 2
    check_limits(aliased_list(items), LOADER)
    error = refused(aliased_list(items + 1), LOADER)  # without the alias: about half the limit
    assert error.reason == f"more than {MAX_VALUES:,} values once aliases are expanded"
    assert error.position == Position(3, 4)


def test_aliases_up_to_the_limit_pass(loader: type[yaml.SafeLoader]) -> None:
    check_limits("a: &x 1\nb: [" + ", ".join(["*x"] * MAX_ALIASES) + "]\n", loader)


def test_one_alias_more_is_refused(loader: type[yaml.SafeLoader]) -> None:
    error = refused("a: &x 1\nb: [" + ", ".join(["*x"] * (MAX_ALIASES + 1)) + "]\n", loader)
    assert error.reason == f"more than {MAX_ALIASES:,} aliases"


@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: &x {b: [1, {c: *x}]}\n"])
def test_an_alias_inside_what_it_names_is_refused(loader: type[yaml.SafeLoader], text: str) -> None:
    assert refused(text, loader).reason == "an alias refers to a value that contains it"


def test_an_unknown_alias_is_left_for_the_composer_to_name(loader: type[yaml.SafeLoader]) -> None:
    check_limits("a: *nowhere\n", loader)
    with pytest.raises(yaml.composer.ComposerError, match="undefined alias"):
        yaml.compose("a: *nowhere\n", Loader=loader)


def test_syntax_errors_are_the_parsers_own(loader: type[yaml.SafeLoader]) -> None:
    with pytest.raises(yaml.MarkedYAMLError):
        check_limits("a: [1\n", loader)


def count_with_checkpoints(text: str) -> LimitCounter:
    counter = LimitCounter(dense_text_checkpoint(len(text)))
    parser = LOADER(text)
    try:
        count_to_the_end(parser, counter)
    finally:
        parser.dispose()
    return counter


def test_a_text_heading_for_the_limit_is_dense() -> None:
    with pytest.raises(DenseText):
        count_with_checkpoints(flat_list(MAX_VALUES))


def test_the_heaviest_file_that_loads_is_not_dense() -> None:
    # 10,000 functions with 10 envs each (270,000 values): bench/hostile.py's heaviest row.
    entry = "  - name: f{i}\n    timeout: 5\n    envs:\n" + "".join(
        f"      VAR_{j}: value-{j}\n" for j in range(10)
    )
    text = "functions:\n" + "".join(entry.format(i=i) for i in range(10_000))
    assert count_with_checkpoints(text).values == 270_003


def test_a_dense_text_within_the_limit_reads_as_the_exact_reader_reads_it() -> None:
    text = "a: [" + ",".join(["1", "x", "true", "2"] * ((MAX_VALUES - 3) // 4)) + "]\n"
    one_pass = parse_yaml(text, source="d.yaml")
    exact = parse_yaml(text, source="d.yaml", one_pass=False)
    assert one_pass.data == exact.data
    assert one_pass.root == exact.root
    assert one_pass.plain == exact.plain


@pytest.mark.parametrize("text", [flat_list(MAX_VALUES + 1), flat_list(MAX_VALUES) + "b: 1\n"])
def test_a_dense_text_over_the_limit_is_refused_where_the_limits_pass_refuses_it(
    text: str,
) -> None:
    expected = refused(text, LOADER)
    with pytest.raises(DesiredFileError) as caught:
        parse_yaml(text, source="d.yaml")
    (problem,) = caught.value.problems
    assert (problem.message, problem.position) == (expected.reason, expected.position)


@pytest.mark.parametrize(("anchored", "height"), [("[]", 0), ("[1]", 1), ("{k: v}", 1)])
def test_an_alias_counts_a_collection_holding_a_scalar_as_one_level(
    loader: type[yaml.SafeLoader], anchored: str, height: int
) -> None:
    # The document's mapping is one level; each "[" one more; the alias adds what it names.
    def deep(levels: int) -> str:
        return f"a: &t {anchored}\nb: " + "[" * levels + "*t" + "]" * levels + "\n"

    check_limits(deep(MAX_DEPTH - 1 - height), loader)
    error = refused(deep(MAX_DEPTH - height), loader)
    assert error.reason == f"nested deeper than {MAX_DEPTH} levels"


def test_counting_a_plain_scalar_far_from_every_limit_only_adds_one() -> None:
    # The one pass counts such a scalar inline (values += 1): LimitCounter must agree.
    events = list(yaml.parse("a: {b: [1, two, '3']}\n", Loader=LOADER))
    counter = LimitCounter()
    for event in events:
        if isinstance(event, yaml.ScalarEvent):
            assert event.anchor is None
            assert counter.values < counter.next_stop
            before = (counter.aliases, [vars(o).copy() for o in counter.open], {**counter.anchored})
            values = counter.values
            counter.scalar(event)
            after = (counter.aliases, [vars(o).copy() for o in counter.open], {**counter.anchored})
            assert (counter.values, after) == (values + 1, before)
        else:
            counter.take(event)
