"""The ways people reach `qa`: command line, web chat, Slack bot."""
