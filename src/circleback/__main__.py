from circleback.cli import main

main()
