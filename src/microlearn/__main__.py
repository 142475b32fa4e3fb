from microlearn.cli import main

raise SystemExit(main())
