"""Every read of coaching records, given who is asking, one module per journey named like the
app's views (the loop's reads are ``queries.loop``). Import a read from its journey's module."""
