"""The demo rows of coaching: kinds of coaching, groups, agreements, the teacher's own learning."""
