from repostguard.cli import main

main()
