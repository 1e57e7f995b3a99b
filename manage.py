#!/usr/bin/env python
import sys

if __name__ == "__main__":
    from inspection.environment import choose_settings

    choose_settings()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
