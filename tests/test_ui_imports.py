"""The app's modules import in one direction: no module of ``exercise.ui`` reaches
itself again through its imports (those made for type checking included)."""

from __future__ import annotations

import grimp


def test_the_ui_has_no_import_cycles() -> None:
    graph = grimp.build_graph("exercise")
    ui = {m for m in graph.modules if m == "exercise.ui" or m.startswith("exercise.ui.")}
    cycles = [
        (module, imported)
        for module in sorted(ui)
        for imported in sorted(graph.find_modules_directly_imported_by(module) & ui)
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []
