"""The one rule for the separator of a file of rows, read off its header:
``imblearn-vae predict`` and the site's uploads both call
:func:`~imblearn_vae.detector.header_separator` (each had its own copy, and
predict's split the header without reading it as CSV)."""

from types import SimpleNamespace

import pytest

from imblearn_vae.detector import Feature, header_separator
from imblearn_vae.predict._csv import read_header

from ..web.conftest import small_detector

NAMES = ["proto", "bytes", "rate"]


def model(separator=None):
    layout = {} if separator is None else {"separator": separator}
    return SimpleNamespace(features=features(NAMES), layout=layout)


def features(names):
    return [Feature(name, "number") for name in names]


@pytest.mark.parametrize("separator", [",", "\t", ";", "|"])
def test_the_separator_splitting_out_the_most_names_wins(separator):
    header = separator.join([*NAMES, "label"]) + "\n1,2;3|4\t5\n"
    assert header_separator(header, model()) == separator
    assert header_separator(header, model(",")) == separator


@pytest.mark.parametrize("own", [",", ";", "|", "\t"])
def test_a_tie_goes_to_the_training_files_own(own):
    assert header_separator("label", model(own)) == own
    assert header_separator("proto", model(own)) == own
    assert header_separator("", model()) == ","


@pytest.mark.parametrize(
    "header",
    ['"proto";"bytes";"rate"', "proto ; bytes ; rate", " proto; bytes; rate",
     "'proto;bytes;rate", '"pro;to";bytes;rate'],
)  # fmt: skip
def test_names_are_read_as_csv_cells(header):
    """Quoted, spaces around them, a formula's ' (here none to take off): a
    header split on the raw separator matched none of these names."""
    assert header_separator(header, model()) == ";"


def test_a_formula_escaped_name_is_read_back():
    detector = SimpleNamespace(features=features(["-", "bytes"]), layout={})
    assert header_separator("'-|bytes", detector) == "|"


def test_a_field_csv_cannot_read_counts_as_no_name():
    """A quoted field over csv.field_size_limit() (128 KiB): no error here;
    the reader of the rows names it."""
    assert header_separator('proto;"' + "x" * 200_000 + '"', model()) == ","


def test_predict_and_the_site_use_the_one_rule():
    from imblearn_vae.web import service

    assert service.header_separator is header_separator
    detector = small_detector()
    header = " ; ".join(f.name for f in detector.features)
    # predict read " proto " off "proto ; ...", and took the comma on the tie
    layout = read_header(header.encode(), detector, "rows.csv")
    assert layout.delimiter == ";"
    assert layout.names == [f.name for f in detector.features]
