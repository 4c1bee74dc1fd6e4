"""`python -m generator.cli`, as the tests and benches run the command."""

from generator.cli.main import main

raise SystemExit(main())
