"""``name:key=value,...`` specifications of methods and classifiers."""

import ast


def parse_spec(spec: str, what: str) -> tuple[str, dict]:
    """Split ``"name:key=literal,..."`` into the name and its keyword arguments.

    Raises
    ------
    ValueError
        If the arguments are not ``key=value`` pairs of Python literals.
    """
    name, _, arguments = spec.strip().partition(":")
    if not arguments:
        return name, {}
    try:
        call = ast.parse(f"f({arguments})", mode="eval").body
        if not isinstance(call, ast.Call) or call.args:
            raise ValueError("only key=value pairs are allowed")
        return name, {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    except (SyntaxError, ValueError) as error:
        raise ValueError(
            f"The arguments of {what} {spec!r} must be key=value pairs of Python "
            f"literals separated by commas, e.g. '{name}:epochs=20' ({error})."
        ) from None
