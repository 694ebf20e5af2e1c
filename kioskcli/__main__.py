from kioskcli.main import main

raise SystemExit(main())
