"""The desired file's one pass: events counted against ``yaml_limits`` and built into data as they
stream past, with each node's position kept in a small tuple.

PyYAML would parse the text twice (once for the limits, once to compose a tree of nodes holding
two ``Mark`` objects each) and then the tree would be walked a third time. Here the parser's
events are read once: every limit is still checked on each event before anything is built from
it (an alias bomb or 10,000 levels of nesting stop as early as before), and memory holds only
the data and a tuple per node.

This pass decides only the ordinary case: one document whose top level is a mapping, every tag
allowed, every anchor defined once. Anything else (a tag that is refused, a merge key, an alias
to nowhere, a date that does not exist, two documents...) is ``Unusual``: the pass then only
counts the rest of the events, so that a limit broken further on is still the error reported
(as the limits came first before), and leaves the wording to ``yaml_reader``'s exact reader.
"""

from __future__ import annotations

import yaml
from yaml.events import ScalarEvent

from faasdrift.desired.yaml_builder import Builder, Built
from faasdrift.desired.yaml_limits import (
    DenseText,
    LimitCounter,
    count_to_the_end,
    dense_text_checkpoint,
)
from faasdrift.desired.yaml_tags import Unusual

__all__ = ["Built", "build"]  # Built is defined by the builder, read by yaml_reader


def build(text: str, loader_class: type[yaml.SafeLoader | yaml.CSafeLoader]) -> Built:
    """The data and nodes of ``text``; raises ``LimitError`` or a ``yaml.YAMLError`` exactly as
    ``check_limits`` would, and ``Unusual`` (after the whole stream was counted) otherwise.

    A text dense enough to be heading for ``MAX_VALUES`` is counted to its end before anything
    more is built (``DenseText``), and built afresh if it keeps the limits: a hostile file of
    300,001 tiny values is refused at the cost of reading its events, not of building them too.
    """
    try:
        return _one_pass(loader_class(text), LimitCounter(dense_text_checkpoint(len(text))))
    except DenseText:
        return _one_pass(loader_class(text), LimitCounter())


def _one_pass(loader: yaml.SafeLoader | yaml.CSafeLoader, count: LimitCounter) -> Built:
    builder = Builder(loader, count)
    next_event, take, scalar = loader.get_event, builder.take, builder.scalar
    try:
        while (event := next_event()) is not None:
            if type(event) is ScalarEvent:  # nine events in ten: no dispatch through take
                scalar(event)  # counts it first
            else:
                take(event)  # counts it first
    except (Unusual, DenseText):
        # A broken limit further on is still the error.
        count_to_the_end(loader, count.without_checkpoints())
        raise
    finally:
        loader.dispose()
    return builder.result()
