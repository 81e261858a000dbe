"""``exercise msel export|import``: the MSEL as a spreadsheet (.xlsx or .csv) and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exercise.commands._common import pack_root
from exercise.problems import UserError


def run(args: argparse.Namespace) -> int:
    if args.msel_command == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    from exercise.msel.export import msel_table
    from exercise.msel.sheet import write_table
    from exercise.pack.loader import require_pack

    pack = require_pack(pack_root(args.pack))
    out = Path(args.out)
    write_table(msel_table(pack), out)
    print(f"wrote {out}: {len(pack.injects)} injects")
    return 0


def _import(args: argparse.Namespace) -> int:
    from exercise.msel.files import write_new
    from exercise.msel.importer import check_injects, injects_yaml, ordered, read_injects
    from exercise.msel.read import read_grid

    root = pack_root(args.pack)
    source = Path(args.file)
    out = Path(args.out) if args.out else root / "injects" / f"{source.stem}.yaml"
    if out.suffix.lower() not in (".yaml", ".yml"):
        raise UserError(f"{out}: the injects file must end in .yaml")
    if out.exists() or out.is_symlink():
        raise UserError(f"{out} already exists; choose another file name (nothing was written)")
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    grid = read_grid(source, args.file)
    sheet = read_injects(grid)
    problems = list(sheet.problems)
    if not sheet.fatal:
        problems += check_injects(sheet, grid.where, root)
    problems = ordered(problems)
    for problem in problems:
        print(problem, file=sys.stderr)
    errors = sum(p.is_error for p in problems)
    if errors:
        print(f"{args.file}: {errors} error(s); nothing was written", file=sys.stderr)
        return 2
    text = injects_yaml(sheet, args.file)
    try:
        write_new(out, text.encode("utf-8"))
    except FileExistsError:
        raise UserError(f"{out} already exists; choose another file name") from None
    except OSError as exc:
        raise UserError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"wrote {out}: {len(sheet.items)} injects from {args.file}")
    if not _inside(out, root / "injects"):
        print(f"note: {out} is not in {root / 'injects'}, so the pack does not read it yet")
    return 0


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return False
    return True
