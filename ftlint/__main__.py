from ftlint.cli import main

main()
