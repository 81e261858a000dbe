"""The MSEL as a spreadsheet: export a pack's injects, import a sheet back, played MSEL.

``columns`` is the one table of columns (add a column there when the pack format grows);
``sheet`` writes rows to .xlsx or .csv; ``read`` opens a sheet a stranger may have made;
``importer`` turns rows into validated injects and YAML; ``played`` is a session's record.
Nothing here imports Textual; openpyxl is imported only when an .xlsx is read or written.
"""
