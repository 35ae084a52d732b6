from partner_cli.kommando import main

main()
