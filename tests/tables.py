"""The project's tables as a user would give them to ``train``: each file as
it is (kr-vs-k's KEEL file, the BoT-IoT fragment, a TON_IoT device) or, for
the UCI tables without a header, as a CSV with one; and how each is trained
in the tests (a quick method and classifier each, together every path: the
table itself or its one-hot matrix balanced, with or without a filter, a
tree, a forest or boosting).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

#: A DCBN-VAE small and quick enough for a test (its filter on).
QUICK_VAE = "dcbn-vae:epochs=2,hidden_layer_sizes=(16,),latent_dim=4,batch_size=64"


@dataclass
class TableCase:
    """A table and how the tests train on it."""

    name: str
    path: Path
    options: list[str]  # the table's options of `train` (and `compare`)
    method: str
    classifier: str
    label: str  # the column of a file of its layout that holds the class
    separator: str = ","
    notes: dict = field(default_factory=dict)

    def train_arguments(self, out: Path) -> list[str]:
        return ["train", str(self.path), *self.options, "--method", self.method,
                "--classifier", self.classifier, "--out", str(out),
                "--quiet"]  # fmt: skip


def table_cases(data_home: Path, folder: Path) -> dict[str, TableCase]:
    """The five tables of issue 32's list, written to ``folder`` where they
    need a header."""
    uci = data_home / "uci"
    satimage = {}
    for part in ("trn", "tst"):
        frame = pd.read_csv(uci / f"sat.{part}.txt", sep=r"\s+", header=None)
        frame.columns = [*(f"pixel{i}" for i in range(36)), "class"]
        satimage[part] = folder / f"satimage_{part}.csv"
        frame.to_csv(satimage[part], index=False)
    ecoli = pd.read_csv(uci / "ecoli.data.txt", sep=r"\s+", header=None)
    ecoli.columns = ["name", *(f"f{i}" for i in range(7)), "site"]
    ecoli.to_csv(folder / "ecoli.csv", index=False)
    garage = pd.read_csv(
        data_home / "ton-iot" / "Train_Test_IoT_Garage_Door.csv.gz",
        encoding="utf-8-sig",
    )
    # a stratified tenth keeps every class, ransomware to scanning; shuffled,
    # as a capture interleaves them
    sample = garage.groupby("type").sample(frac=0.1, random_state=0)
    sample.sample(frac=1, random_state=0).to_csv(folder / "garage.csv", index=False)
    cases = [
        TableCase("ton-iot", folder / "garage.csv",
                  ["--label", "type", "--drop", "ts", "date", "time", "label"],
                  QUICK_VAE, "dt", "type"),
        TableCase("satimage", satimage["trn"],
                  ["--label", "class", "--test", str(satimage["tst"])],
                  "smote", "hgb", "class"),
        TableCase("kr-vs-k", uci / "kr-vs-k.dat", ["--label", "Game"],
                  "none", "dt", "Game"),
        TableCase("ecoli", folder / "ecoli.csv",
                  ["--label", "site", "--drop", "name"], "random",
                  "sklearn.ensemble.ExtraTreesClassifier:n_estimators=5", "site"),
        TableCase("bot-iot", data_home / "bot-iot" / "bot_iot_sample.tsv",
                  ["--loader", "bot-iot", "--label", "category"], "smote", "dt",
                  "category", separator="\t"),
    ]  # fmt: skip
    return {case.name: case for case in cases}


def training_lines(case: TableCase, count: int) -> list[str]:
    """The header and the first ``count`` rows of the table's file, as
    text (a KEEL file's data lines after a header of its columns)."""
    text = case.path.read_text(encoding="utf-8-sig").splitlines()
    if text[0].lower().startswith("@relation"):
        names = [line.split()[1] for line in text if line.startswith("@attribute")]
        start = next(i for i, line in enumerate(text) if line.startswith("@data"))
        return [",".join(names), *text[start + 1 : start + 1 + count]]
    return text[: count + 1]
