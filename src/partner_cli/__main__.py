from partner_cli.cli import main

main()
