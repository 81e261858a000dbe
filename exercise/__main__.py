"""``python -m exercise`` runs the command line."""

from exercise.cli import main

raise SystemExit(main())
