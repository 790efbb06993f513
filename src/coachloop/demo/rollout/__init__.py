"""The demo rows of rolling out coaching: the coaching models, the team, time and emails."""
