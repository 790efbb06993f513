from django.template import Context, Template


def render(source, **context):
    return Template("{% load cl_rows %}" + source).render(Context(context))


def test_beside_pairs_each_cell_with_its_column_in_order():
    out = render(
        "{% for column, cell in columns|beside:cells %}[{{ column }}={{ cell }}]{% endfor %}",
        columns=["Autumn", "Spring"],
        cells=[3, 0],
    )
    assert out == "[Autumn=3][Spring=0]"


def test_beside_with_nothing_to_pair_gives_no_cells():
    out = render(
        "{% for column, cell in columns|beside:cells %}x{% empty %}none{% endfor %}",
        columns=None,
        cells=[1],
    )
    assert out == "none"
