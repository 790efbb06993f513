"""The demo's school coaching models and the trust's policy (the policy app's rows)."""
