"""The demo rows of rolling out coaching: the team, time and emails."""
