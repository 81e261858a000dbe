"""Benchmark pack validation on a large synthetic pack.

Writes (into a temporary folder) a pack of 50 roles and 5,000 injects spread over 50
files, most with conditions, then times, best of N runs each:

- ``load_pack`` in-process: read, positioned YAML, pydantic models, cross-file checks
  and lint — everything ``exercise validate`` does;
- ``exercise validate`` as a subprocess (includes interpreter start-up and imports);
- a plain ``yaml.safe_load`` of the same files, and ``yaml.load`` with ``CSafeLoader``.

It also times the MSEL as a spreadsheet: ``exercise msel export`` of the 5,000 injects to
.xlsx and .csv, and ``exercise msel import`` of each back into a copy of the pack without
its injects (read, every cell checked, YAML written).

Targets: validation <= 1.0 s and <= 3x the plain ``yaml.safe_load``; MSEL export and
import < 5 s each. Last line: one JSON object with ``roles``, ``injects``, ``validate_s``,
``yaml_load_s``, ``ratio``, ``msel_export_xlsx_s``, ``msel_import_xlsx_s`` (and more).

    python bench/validate.py [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exercise.pack.loader import load_pack  # noqa: E402

ROLES = 50
INJECTS = 5_000
FILES = 50
TURNS = 100
TRACKS = 6
TAGS = 20
KINDS = ("missile_launch", "press_report", "diplomatic_protest", "statement")


def _manifest() -> str:
    lines = [
        "id: bench",
        "title: Benchmark exercise",
        "summary: A synthetic pack for timing validation.",
        "setting: |",
        "  Synthetic opening situation.",
        "start_date: 2026-03-01",
        f"turns: {TURNS}",
        "objectives:",
    ]
    for i in range(5):
        lines += [f"  - id: obj-{i}", f"    title: Objective {i}"]
    lines.append("topics:")
    for i in range(10):
        lines += [f"  - id: topic-{i}", f"    title: Topic {i}"]
    lines.append("tracks:")
    for i in range(TRACKS):
        lines += [
            f"  - id: t{i}",
            f"    name: Track {i}",
            "    min: 0",
            "    max: 100",
            "    initial: 50",
            "    levels:",
            "      - {name: low, min: 0}",
            "      - {name: high, min: 60}",
        ]
    lines += [
        "  - id: pair",
        "    name: A pair's relations",
        "    scope: [r00, r01]",
        "    min: -5",
        "    max: 5",
        "    initial: 0",
    ]
    lines.append("sources:")
    for i in range(5):
        lines += [f"  - id: src-{i}", f"    file: src-{i}.txt", f"    title: Source {i}"]
    lines.append("move_tags:")
    for i in range(TAGS):
        lines += [f"  - id: tag{i}", f"    title: Tag {i}"]
    return "\n".join(lines) + "\n"


def _role(i: int) -> str:
    lines = [
        f"id: r{i:02d}",
        f"name: Role number {i}",
        f"short_name: R{i}",
        f"played_by: {'control' if i % 10 == 9 else 'player'}",
        "background: >-",
        "  A synthetic actor with a background long enough to look like the real thing,",
        "  spread over a couple of lines of folded text.",
        "positions:",
    ]
    for p in range(6):
        lines += [
            f"  - topic: topic-{(i + p) % 10}",
            f"    stance: {('supports', 'opposes', 'ambivalent')[p % 3]}",
            f"    summary: Role {i} has a view on topic {p}.",
            f'    quote: "words of role {i} on topic {p}"',
            f"    source: src-{p % 5}",
            f"    locator: Section {p}",
            "    year: 2017",
        ]
    lines += [
        "objectives: [Keep the peace, Win the argument]",
        "red_lines: [No foreign troops]",
        "capabilities: [Diplomats, Radars]",
        "private: [A secret.]",
        "views:",
        f"  r{(i + 1) % ROLES:02d}: A neighbour.",
        f"  r{(i + 2) % ROLES:02d}: A rival.",
    ]
    return "\n".join(lines) + "\n"


def _condition(n: int) -> list[str]:
    pick = n % 6
    if pick == 0:
        return []
    if pick == 1:
        return [f'    condition: {{track: t{n % TRACKS}, op: ">=", value: {40 + n % 30}}}']
    if pick == 2:
        return [f"    condition: {{released: i{n - 1:04d}}}"]
    if pick == 3:
        return [
            "    condition:",
            f"      move: {{role: r{n % ROLES:02d}, tag: tag{n % TAGS}, ruled: [accepted]}}",
        ]
    if pick == 4:
        return [
            "    condition:",
            "      all:",
            f'        - {{track: t{n % TRACKS}, op: "<", value: {60 + n % 20}}}',
            "        - any:",
            f"            - {{released: i{n - 2:04d}}}",
            f"            - {{chance: 0.{n % 9 + 1}}}",
        ]
    return [
        "    condition:",
        f"      not: {{move: {{role: r{n % ROLES:02d}, kind: deployment}}}}",
    ]


def _inject(n: int) -> list[str]:
    turn = n * TURNS // INJECTS + 1
    conditional = n % 6 != 0
    turn_text = f"{{first: {turn}, last: {min(TURNS, turn + 2)}}}" if conditional else str(turn)
    lines = [
        f"  - id: i{n:04d}",
        f"    turn: {turn_text}",
        f"    kind: {KINDS[n % len(KINDS)]}",
        f"    from: r{(n + 3) % ROLES:02d}",
    ]
    if n % 4 == 0:
        lines.append(f"    audience: [r{n % ROLES:02d}, r{(n + 7) % ROLES:02d}]")
    lines += [
        f"    title: Synthetic inject number {n}",
        "    body: |",
        f"      Something happens in turn {turn}. It is described in **Markdown** over",
        "      two lines so the body looks like a real one.",
        f"    objectives: [obj-{n % 5}]",
        f"    effects: {{t{n % TRACKS}: {1 + n % 3}, pair: -1}}",
    ]
    if n % 3 == 0:
        lines += ["    questions:", "      - What do you do now?"]
    return lines + _condition(n)


def write_pack(root: Path) -> list[Path]:
    """Write the synthetic pack; return every YAML file in it."""
    (root / "roles").mkdir(parents=True)
    (root / "injects").mkdir()
    files = [root / "scenario.yaml"]
    files[0].write_text(_manifest(), encoding="utf-8")
    for i in range(ROLES):
        path = root / "roles" / f"r{i:02d}.yaml"
        path.write_text(_role(i), encoding="utf-8")
        files.append(path)
    per_file = INJECTS // FILES
    for f in range(FILES):
        lines = ["injects:"]
        for n in range(f * per_file, (f + 1) * per_file):
            lines += _inject(n)
        path = root / "injects" / f"part{f:02d}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


def time_msel(root: Path, work: Path, runs: int) -> dict[str, float]:
    """Best-of-``runs`` seconds to export the pack's MSEL and to import it back, per format."""
    import shutil

    from exercise.msel.export import msel_table
    from exercise.msel.files import write_new
    from exercise.msel.importer import check_injects, injects_yaml, read_injects
    from exercise.msel.read import read_grid
    from exercise.msel.sheet import write_table
    from exercise.pack.loader import require_pack

    copy = work / "msel-copy"
    copy.mkdir()
    shutil.copy(root / "scenario.yaml", copy / "scenario.yaml")
    shutil.copytree(root / "roles", copy / "roles")
    (copy / "injects").mkdir()
    counter = iter(range(1_000_000))
    figures: dict[str, float] = {}
    for suffix in ("xlsx", "csv"):
        sheet = work / f"msel.{suffix}"

        def export(suffix: str = suffix) -> None:
            out = work / f"msel-{next(counter)}.{suffix}"
            write_table(msel_table(require_pack(root)), out)

        def import_(sheet: Path = sheet) -> None:
            grid = read_grid(sheet, sheet.name)
            injects = read_injects(grid)
            problems = check_injects(injects, grid.where, copy)
            if any(p.is_error for p in [*injects.problems, *problems]):
                raise SystemExit(f"the exported {sheet.name} does not import")
            text = injects_yaml(injects, "x").encode("utf-8")
            written = copy / "injects" / f"m{next(counter)}.yaml"
            write_new(written, text)
            written.unlink()  # the next run imports into the same pack: no duplicate ids

        figures[f"msel_export_{suffix}_s"] = best_of(runs, export)
        write_table(msel_table(require_pack(root)), sheet)
        figures[f"msel_import_{suffix}_s"] = best_of(runs, import_)
    return figures


def best_of(runs: int, func) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def print_times(
    validate_s: float, cli_s: float, yaml_s: float, cyaml_s: float, msel: dict[str, float]
) -> None:
    print(f"load_pack (validate, in-process):  {validate_s:.3f} s")
    print(f"exercise validate (subprocess):     {cli_s:.3f} s")
    print(f"yaml.safe_load of the same files:   {yaml_s:.3f} s")
    print(f"yaml.load with CSafeLoader:         {cyaml_s:.3f} s")
    ratio = validate_s / yaml_s
    print(f"ratio validate / safe_load:         {ratio:.2f}  (target <= 3, and <= 1.0 s)")
    print(f"ratio validate / CSafeLoader:       {validate_s / cyaml_s:.2f}")
    for fmt in ("xlsx", "csv"):
        print(
            f"msel export / import, .{fmt}:      {msel[f'msel_export_{fmt}_s']:.3f} s / "
            f"{msel[f'msel_import_{fmt}_s']:.3f} s  (target < 5 s each)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="repeat each timing (best of)")
    parser.add_argument("--keep", metavar="DIR", help="write the pack here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(args.keep) if args.keep else Path(tmp) / "pack"
        files = write_pack(root)
        size = sum(p.stat().st_size for p in files)
        result = load_pack(root)
        errors = [p for p in result.problems if p.is_error]
        if errors or result.pack is None:
            for problem in errors[:10]:
                print(problem)
            raise SystemExit("the synthetic pack does not validate")
        assert len(result.pack.injects) == INJECTS and len(result.pack.roles) == ROLES

        def plain(loader=yaml.SafeLoader) -> None:
            for path in files:
                yaml.load(path.read_text(encoding="utf-8"), Loader=loader)

        validate_s = best_of(args.runs, lambda: load_pack(root))
        yaml_s = best_of(args.runs, plain)
        cyaml_s = best_of(args.runs, lambda: plain(yaml.CSafeLoader))
        command = [sys.executable, "-m", "exercise", "validate", str(root)]
        cli_s = best_of(
            max(1, args.runs // 2),
            lambda: subprocess.run(command, cwd=ROOT, capture_output=True, check=True),
        )
        msel = time_msel(root, Path(tmp), max(1, args.runs // 2))

    ratio = validate_s / yaml_s
    print(f"pack: {ROLES} roles, {INJECTS} injects in {FILES} files, {size / 1e6:.1f} MB")
    print(f"warnings reported: {len(result.problems)}")
    print_times(validate_s, cli_s, yaml_s, cyaml_s, msel)
    print(
        json.dumps(
            {
                "roles": ROLES,
                "injects": INJECTS,
                "validate_s": round(validate_s, 4),
                "yaml_load_s": round(yaml_s, 4),
                "ratio": round(ratio, 3),
                "csafe_load_s": round(cyaml_s, 4),
                "ratio_csafe": round(validate_s / cyaml_s, 3),
                "cli_validate_s": round(cli_s, 4),
                **{key: round(value, 4) for key, value in msel.items()},
            }
        )
    )


if __name__ == "__main__":
    main()
