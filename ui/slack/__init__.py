"""The Slack bot: `citewire slack` (Socket Mode) or `citewire slack --http` (Events API at /slack/events).

`blocks` renders answers as Block Kit (pure), `history` turns a thread into chat history, `app` is the Bolt app.
"""
