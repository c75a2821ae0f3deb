"""Raw frame or one-hot matrix: what DCBN-VAE's mixed-type path costs (issue 30).

The samplers take a table with categorical columns two ways: the raw frame
with ``categorical_features`` (what ``compare`` and the site's detector give
them) or the one-hot, min-max matrix that a ``ColumnTransformer`` before
them makes. This script runs both on the generality suite's tables, through
the engine of ``imblearn-vae compare``, with the same split, seeds and
classifiers (scored on the same one-hot matrix of the evaluation rows), and
the levers that may explain a difference, one change at a time on the raw
frame:

- ``dcbn-vae``: the defaults on the raw frame;
- ``dcbn-vae-matrix``: the defaults on the one-hot, min-max matrix;
- ``raw-lever:cat_loss='mse'``: the categorical blocks scored by squared
  error (as numbers, the matrix's loss) instead of cross-entropy;
- ``raw-lever:cat_weight=W``: the cross-entropy terms times W;
- ``raw-lever:decode='sample'``: categories drawn from the softmax instead
  of its argmax (``temperature=T`` scales the logits);
- ``raw-lever:float_ints=True``: integer columns given as floats (no
  rounding of generated values);
- any sampler argument: ``raw-lever:filter_generated=False``,
  ``dcbn-vae-matrix:epochs=20``.

    python benchmarks/mixed_path.py --seeds 0 1 2               # run / resume
    python benchmarks/mixed_path.py --report --on validation    # the table
"""

import argparse
import sys
from pathlib import Path

import torch
import torch.nn.functional as F
from _common import REPO_ROOT, default_data_home
from suite import TABLES, _markdown, _rst, comparison_for

from imblearn_vae import DCBNVAESampler, _filter, _training
from imblearn_vae.compare import parse_method, read_runs, run_comparison
from imblearn_vae.compare.methods import METHODS, MethodInfo
from imblearn_vae.compare.report import cell, group_runs
from imblearn_vae.nn.mlp import folded_network
from imblearn_vae.nn.vae import vae_loss

#: The suite's tables whose raw frame has categorical columns (GPS and
#: Modbus have none; Modbus has integer columns, which the raw path rounds).
MIXED_TABLES = ("nsl-kdd", "kr-vs-k", "ton-iot-fridge", "bot-iot", "ton-iot-modbus")

METHODS_RUN = (
    "none",
    "class-weight",
    "smote",
    "dcbn-vae",
    "dcbn-vae-matrix",
)

#: How the report names the methods.
LABELS = {
    "none": "no balancing",
    "class-weight": "class weights",
    "smote": "SMOTE",
    "dcbn-vae": "DCBN-VAE, raw frame",
    "dcbn-vae-matrix": "DCBN-VAE, one-hot matrix",
    "dcbn-vae:filter_generated=False": "DCBN-VAE, raw frame, no filter",
    "dcbn-vae-matrix:filter_generated=False": "DCBN-VAE, one-hot matrix, no filter",
    "raw-lever:cat_loss='mse'": "raw frame, blocks scored by squared error",
    "raw-lever:decode='sample'": "raw frame, categories drawn from the softmax",
    "raw-lever:float_ints=True": "raw frame, integer columns as floats",
    "raw-lever:cat_weight=0.1": "raw frame, cross-entropy x 0.1",
}

#: The levers and their defaults (the raw path as it is).
LEVERS = dict(cat_loss="ce", cat_weight=1.0, decode="argmax", temperature=1.0,
              float_ints=False, class_rows=None, draw_budget=None)  # fmt: skip


class LeverSampler(DCBNVAESampler):
    """DCBN-VAE with the mixed path's choices open (private, for this study)."""

    def fit_resample(self, X, y):
        if self._levers["float_ints"] and hasattr(X, "dtypes"):
            integers = [c for c, t in X.dtypes.items() if t.kind in "iub"]
            X = X.astype(dict.fromkeys(integers, "float64"))
        class_rows, draw_budget = _training.AUTO_CLASS_ROWS, _filter.DRAW_BUDGET
        if self._levers["class_rows"] is not None:  # this fit only
            _training.AUTO_CLASS_ROWS = self._levers["class_rows"]
        if self._levers["draw_budget"] is not None:
            _filter.DRAW_BUDGET = self._levers["draw_budget"]
        try:
            return super().fit_resample(X, y)
        finally:
            _training.AUTO_CLASS_ROWS, _filter.DRAW_BUDGET = class_rows, draw_budget

    def _train_step(self, X, y, optimizers, generator):
        blocks = self.table_encoder_.blocks_
        x_hat, mean, log_var = self.module_(X, y, generator=generator)
        _, kl = vae_loss(X, x_hat, mean, log_var, None)
        if blocks is None or self._levers["cat_loss"] == "mse":
            reconstruction = (x_hat - X).square().sum(dim=1).mean()
        else:
            per_row = (x_hat - X)[:, : blocks.n_numeric].square().sum(dim=1)
            weight = self._levers["cat_weight"]
            for start, stop in blocks.bounds:
                per_row = per_row + weight * F.cross_entropy(
                    x_hat[:, start:stop], X[:, start:stop].argmax(dim=1),
                    reduction="none",
                )  # fmt: skip
            reconstruction = per_row.mean()
        loss = reconstruction + self.beta * kl
        optimizers["vae"].zero_grad(set_to_none=True)
        loss.backward()
        optimizers["vae"].step()
        return {"loss": loss, "reconstruction": reconstruction, "kl": kl}

    def _class_sampler(self, class_index):
        blocks = self.table_encoder_.blocks_
        if blocks is None or self._levers["decode"] == "argmax":
            return super()._class_sampler(class_index)
        module = self.module_
        decode = folded_network(module.decoder, module.output_head, class_index)
        codes = self._latent_code_sampler(class_index)
        temperature, mse = (
            self._levers["temperature"],
            self._levers["cat_loss"] == "mse",
        )

        def draw(n_rows, generator):
            rows = decode(codes(n_rows, generator))
            for start, stop in blocks.bounds:
                block = rows[:, start:stop]
                # squared error makes the block's outputs near probabilities
                logits = torch.log(block.clamp_min(1e-6)) if mse else block
                chosen = torch.multinomial(
                    torch.softmax(logits / temperature, dim=1), 1, generator=generator
                )[:, 0]
                rows[:, start:stop] = F.one_hot(chosen, stop - start).to(rows.dtype)
            return rows

        return draw


def _lever_sampler(random_state, **params):
    levers = {key: params.pop(key, value) for key, value in LEVERS.items()}
    sampler = LeverSampler(random_state=random_state, **params)
    sampler._levers = levers
    return sampler


def register() -> None:
    """Add this study's method names to compare's registry (this process)."""
    METHODS["dcbn-vae-matrix"] = MethodInfo(
        "DCBN-VAE on the one-hot matrix", DCBNVAESampler, torch=True
    )
    METHODS["raw-lever"] = MethodInfo(
        "DCBN-VAE raw frame, lever", _lever_sampler, raw=True, torch=True
    )
    METHODS["matrix-lever"] = MethodInfo(
        "DCBN-VAE on the one-hot matrix, lever", _lever_sampler, torch=True
    )


def _runs(args, table) -> list[dict]:
    """The runs of ``--out`` then of each ``--also`` folder; the first of a
    (method, seed, classifier) wins, so a folder cannot count twice."""
    seen, runs = set(), []
    for folder in (args.out, *args.also):
        for run in read_runs(folder / table / "runs.csv"):
            key = (run["method"], run["seed"], run.get("classifier"))
            if key not in seen:
                seen.add(key)
                runs.append(run)
    return runs


def report(args) -> str:
    """Methods x tables for each classifier: macro F1, mean ± std over seeds."""
    render = _rst if args.format == "rst" else _markdown
    tables = []
    for classifier in args.classifiers:
        grouped = {
            table: group_runs(_runs(args, table), args.methods, classifier, args.seeds)
            for table in args.tables
        }
        rows = []
        for method in args.methods:
            cells = []
            for table in args.tables:
                group = grouped[table].get(method, [])
                values = [float(r[f"{args.on}:f1_macro"]) for r in group]
                note = f" ({len(group)})" if 0 < len(group) < len(args.seeds) else ""
                cells.append(cell(values) + note)
            rows.append([LABELS.get(method, method), *cells])
        title = (
            f"{classifier}: macro F1 on the {args.on} rows (%, mean ± std over "
            f"seeds {', '.join(map(str, args.seeds))}; (n): n seeds ran)"
        )
        tables.append(render(title, ["method", *args.tables], rows))
    return "\n\n".join(tables) + "\n"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(MIXED_TABLES),
                        choices=list(TABLES))  # fmt: skip
    parser.add_argument("--methods", nargs="+", default=list(METHODS_RUN))
    parser.add_argument("--classifiers", nargs="+", default=["dt", "hgb"])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2, 3, 4])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data-home", default=default_data_home())
    parser.add_argument(
        "--out", type=Path,
        default=REPO_ROOT / "benchmarks" / "results" / "mixed-path",
    )  # fmt: skip
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--on", choices=["validation", "test"], default="validation")
    parser.add_argument("--format", choices=["markdown", "rst"], default="markdown")
    parser.add_argument(
        "--also", type=Path, nargs="*", default=[],
        help="more results folders to read runs from (the suite's baselines)",
    )  # fmt: skip
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    register()
    if args.report:
        print(report(args))
        return 0
    args.jobs = 1
    comparisons = {name: comparison_for(name, args) for name in args.tables}
    for seed in args.seeds:
        for name, comparison in comparisons.items():
            comparison.seeds = [seed]
            comparison.methods = [parse_method(m) for m in args.methods]
            for row in run_comparison(comparison, jobs=1, threads=args.threads):
                outcome = row["error"]
                if row["status"] == "ok":
                    outcome = (
                        f"val mF1 {100 * float(row['validation:f1_macro']):.2f}, "
                        f"{float(row['sampler_seconds']):.1f} s"
                    )
                print(f"{name} {row['method']} seed {seed} "
                      f"{row.get('classifier')}: {outcome}", flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
