"""`python -m guidesite.cli`, as the tests and benches run the command."""

from guidesite.cli.main import main

raise SystemExit(main())
