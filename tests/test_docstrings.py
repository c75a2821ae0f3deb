"""The defaults the docs state are the defaults the code has.

As imbalanced-learn's ``test_docstring_parameters.py`` does for its API: every
object of the API reference (``docs/api.rst``) documents the parameters of its
signature, in order, and each ``default=`` in its docstring is the signature's
default. The samplers share their parameter text (``_parameters.py``), which
is where a default drifts unnoticed.
"""

import argparse
import ast
import importlib
import inspect
import re

import pytest

import imblearn_vae
from imblearn_vae import PAPER_TABLE_1

from .conftest import REPO_ROOT

docscrape = pytest.importorskip("numpydoc.docscrape")

API = REPO_ROOT / "docs" / "api.rst"


def api_objects() -> dict[str, object]:
    """The objects that ``docs/api.rst`` lists, by their full name."""
    objects, module = {}, None
    for line in API.read_text().splitlines():
        if line.startswith(".. currentmodule::"):
            module = importlib.import_module(line.split("::")[1].strip())
        elif module and re.fullmatch(r" {3}[A-Za-z_]\w*", line):
            name = line.strip()
            objects[f"{module.__name__}.{name}"] = getattr(module, name)
    return objects


def documented_callables() -> dict[str, object]:
    """Each API function and class, and the public methods of each class."""
    found = {}
    for name, obj in api_objects().items():
        found[name] = obj
        if not inspect.isclass(obj):
            continue
        for klass in obj.__mro__:
            if not klass.__module__.startswith("imblearn_vae"):
                continue
            for attribute, member in vars(klass).items():
                if attribute.startswith("_") or not inspect.isfunction(member):
                    continue
                found.setdefault(f"{name}.{attribute}", member)
    return found


CALLABLES = documented_callables()


def signature_parameters(obj) -> list[inspect.Parameter]:
    function = obj.__init__ if inspect.isclass(obj) else obj
    return [
        p
        for name, p in inspect.signature(function).parameters.items()
        if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


def documented_default(type_text: str):
    """The value after ``default=`` in a parameter's type line, if any."""
    match = re.search(r"default\s*=\s*(.+)$", type_text)
    if match is None:
        return inspect.Parameter.empty
    text = match.group(1).strip()
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text  # a default the docstring describes in words


def same_default(stated, actual) -> bool:
    if isinstance(stated, bool) or isinstance(actual, bool):
        return stated is actual
    if isinstance(stated, int | float) and isinstance(actual, int | float):
        return stated == actual  # 1e-4 for 0.0001, 0 for 0.0
    try:
        return type(stated) is type(actual) and bool(stated == actual)
    except (TypeError, ValueError):  # an object that compares in its own way
        return False


def stated_defaults(obj) -> dict[str, object]:
    """Each documented parameter and the default its docstring states."""
    doc = docscrape.NumpyDocString(inspect.getdoc(obj) or "")
    stated = {}
    for parameter in doc["Parameters"]:
        for name in parameter.name.split(","):  # "train, test : Table"
            if "*" not in name:
                stated[name.strip()] = documented_default(parameter.type)
    return stated


def resolve(stated, obj):
    """A default written as the name of a constant of the object's module."""
    module = importlib.import_module(obj.__module__)
    if isinstance(stated, str) and stated.isidentifier() and hasattr(module, stated):
        return getattr(module, stated)
    return stated


@pytest.mark.parametrize("name", CALLABLES)
def test_documented_defaults_are_the_signature_defaults(name):
    obj = CALLABLES[name]
    parameters = {p.name: p for p in signature_parameters(obj)}
    stated = stated_defaults(obj)
    assert set(stated) <= set(parameters), (
        f"{name} documents parameters it does not have: "
        f"{sorted(set(stated) - set(parameters))}"
    )
    if inspect.isclass(obj) and hasattr(obj, "get_params"):
        # an estimator's parameters are its public interface: all documented
        assert set(stated) == set(parameters), (
            f"{name} does not document {sorted(set(parameters) - set(stated))}"
        )
    wrong = []
    for parameter_name, value in stated.items():
        default = parameters[parameter_name].default
        if value is inspect.Parameter.empty:
            continue
        if default is inspect.Parameter.empty:
            wrong.append(f"{parameter_name}: default={value!r}, but it is required")
        elif not same_default(resolve(value, obj), default):
            wrong.append(
                f"{parameter_name}: the docstring says default={value!r}, "
                f"the signature {default!r}"
            )
    assert not wrong, f"{name}: " + "; ".join(wrong)


def test_the_api_reference_is_read():
    assert "imblearn_vae.CGANSampler" in CALLABLES
    assert "imblearn_vae.DCBNVAESampler.sample" in CALLABLES
    assert len(CALLABLES) > 20


def all_subclasses(klass) -> set[type]:
    found = set()
    for sub in klass.__subclasses__():
        found |= {sub, *all_subclasses(sub)}
    return found


def test_the_api_reference_lists_every_sampler():
    """Issue 29, item 5: a sampler left out of ``docs/api.rst`` escapes the
    checks above (``ForestFlowSampler`` did)."""
    from imblearn.over_sampling.base import BaseOverSampler

    import imblearn_vae.compare.peers  # noqa: F401  (the peers' samplers)

    ours = {
        klass
        for klass in all_subclasses(BaseOverSampler)
        if klass.__module__.startswith("imblearn_vae.")
        # bases (scikit-learn's naming) are not samplers a user picks
        and not klass.__name__.startswith(("_", "Base"))
    }
    assert len(ours) >= 6  # DCBN-VAE, CVAE, CGAN, TVAE, CTGAN, ForestFlow
    listed = set(api_objects().values())
    missing = sorted(k.__name__ for k in ours - listed)
    assert not missing, f"docs/api.rst leaves out {missing}"


# The command line: argparse holds the defaults; the help texts and the docs
# state some of them.


def subcommand_parsers():
    """Each (sub)command's parser by its words: (), ("compare",), ("user", "create")."""
    from imblearn_vae.cli import build_parser

    found, todo = {}, [((), build_parser()[0])]
    while todo:
        words, parser = todo.pop()
        found[words] = parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo += [((*words, n), p) for n, p in action.choices.items()]
    return found


PARSERS = subcommand_parsers()


def option(words, flag) -> argparse.Action:
    (action,) = [
        a for a in PARSERS[words]._actions if flag in a.option_strings or flag == a.dest
    ]
    return action


#: "(default: 0.3", "(default 0", "- (the default)"
HELP_DEFAULT = re.compile(r"\(default:?\s+([^\s;),:]+)|(\S+) \(the default\)")


#: How a flag's help says its default: "(default: off)".
SWITCH_WORDS = {"off": False, "on": True}


def stated_value(text: str, action: argparse.Action):
    if isinstance(action.default, bool) and text in SWITCH_WORDS:
        return SWITCH_WORDS[text]
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def shown_help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    """The help as ``--help`` prints it: ``%(default)s`` and the like filled in."""
    return parser._get_formatter()._expand_help(action)


@pytest.mark.parametrize("words", PARSERS, ids=" ".join)
def test_help_texts_state_argparse_defaults(words):
    wrong = []
    for action in PARSERS[words]._actions:
        if action.default is None or action.help in (None, argparse.SUPPRESS):
            continue  # None: decided when the command runs, as its help says
        for match in HELP_DEFAULT.finditer(shown_help(PARSERS[words], action)):
            stated = stated_value(match.group(1) or match.group(2), action)
            if not same_default(stated, action.default):
                wrong.append(f"{action.dest}: help says {stated!r}, "
                             f"argparse {action.default!r}")  # fmt: skip
    assert not wrong, " ".join(words) + ": " + "; ".join(wrong)


def test_serve_help_gives_every_option_its_default():
    """Issue 23: ``serve --help`` says each option's default (the checks above
    then hold it to argparse's)."""
    serve = PARSERS[("serve",)]
    missing = [
        action.dest
        for action in serve._actions
        if action.help != argparse.SUPPRESS
        and action.dest != "help"
        and "(default" not in shown_help(serve, action)
        and "; default" not in shown_help(serve, action)
    ]
    assert not missing, f"serve --help gives no default for {missing}"


def test_train_and_serve_name_the_data_folder_alike():
    """One option for NSL-KDD's folder; serve's earlier name still parses."""
    assert option(("train",), "--data-home").dest == "data_home"
    assert option(("serve",), "--data-home").dest == "data_home"
    args = PARSERS[()].parse_args(["serve", "--nsl-kdd", "/data"])
    assert args.data_home == "/data"


#: What the README and the docs say of the command's defaults: the file, its
#: words (checked to be still there), the subcommand, the option, the value.
DEFAULTS_IN_DOCS = [
    ("README.md", "# 30% held out, 3 seeds", ("compare",), "--test-size", 0.3),
    ("README.md", "# 30% held out, 3 seeds", ("compare",), "--seeds", [0, 1, 2]),
    ("docs/compare.rst", "a stratified 30% of the rows", ("compare",),
     "--test-size", 0.3),
    ("README.md", "serve # http://127.0.0.1:8000", ("serve",), "--host",
     "127.0.0.1"),
    ("README.md", "serve # http://127.0.0.1:8000", ("serve",), "--port", 8000),
    ("docs/web.rst", "http://127.0.0.1:8000 with gunicorn (two workers)",
     ("serve",), "--workers", 2),
    ("docs/web.rst", "http://127.0.0.1:8000 with gunicorn", ("serve",), "--port",
     8000),
]  # fmt: skip


@pytest.mark.parametrize("path, words, command, flag, value", DEFAULTS_IN_DOCS)
def test_the_docs_state_argparse_defaults(path, words, command, flag, value):
    text = " ".join((REPO_ROOT / path).read_text().split())
    assert words in text, f"{path} no longer says {words!r}: update this test"
    assert option(command, flag).default == value


#: What the README and the user guide say of the samplers' defaults in prose.
SAMPLER_DEFAULTS_IN_DOCS = [
    ("README.md", "which `CVAESampler` keeps as its defaults", "CVAESampler",
     PAPER_TABLE_1),
    ("docs/user_guide.rst", "``CVAESampler`` keeps the paper's settings as its "
     "defaults", "CVAESampler", PAPER_TABLE_1),
    ("README.md", "`CGANSampler` keeps the epochs, batch and scaling with its own "
     "learning rate, 2e-4", "CGANSampler", {"epochs": 120, "batch_size": 128,
     "scaling": "minmax", "learning_rate": 2e-4}),
    ("docs/user_guide.rst", "``CGANSampler`` its epochs, batch and scaling with "
     "its own learning rate, ``2e-4``", "CGANSampler", {"epochs": 120,
     "batch_size": 128, "scaling": "minmax", "learning_rate": 2e-4}),
]  # fmt: skip


@pytest.mark.parametrize("path, words, sampler, defaults", SAMPLER_DEFAULTS_IN_DOCS)
def test_the_docs_state_sampler_defaults(path, words, sampler, defaults):
    text = " ".join((REPO_ROOT / path).read_text().split())
    assert words in text, f"{path} no longer says {words!r}: update this test"
    params = getattr(imblearn_vae, sampler)().get_params()
    assert {name: params[name] for name in defaults} == defaults
