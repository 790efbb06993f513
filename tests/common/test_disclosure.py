from coachloop.common import disclosure


def test_a_count_of_one_to_four_people_is_shown_as_fewer_than_five():
    for n in (1, 2, 3, 4):
        figure = disclosure.count(n)
        assert figure.suppressed
        assert figure.text == "fewer than 5"
        assert str(n) not in figure.text


def test_zero_and_five_or_more_are_shown_as_numbers():
    assert disclosure.count(0).text == "0"
    assert disclosure.count(5).text == "5"
    assert disclosure.count(1234).text == "1,234"


def test_when_one_part_of_a_shown_total_is_hidden_the_next_smallest_is_hidden_too():
    figures = disclosure.parts({"coached": 20, "not coached": 3, "left": 9})
    assert figures["not coached"].text == "fewer than 5"
    assert figures["left"].suppressed and figures["left"].text == "hidden"
    assert not figures["coached"].suppressed


def test_two_hidden_parts_already_protect_each_other():
    figures = disclosure.parts({"a": 2, "b": 3, "c": 40})
    assert figures["a"].suppressed and figures["b"].suppressed
    assert not figures["c"].suppressed


def test_without_a_total_on_show_only_the_small_part_is_hidden():
    figures = disclosure.parts({"a": 2, "b": 30}, whole_shown=False)
    assert figures["a"].suppressed and not figures["b"].suppressed


def test_a_share_is_hidden_when_it_would_reveal_a_small_group_on_either_side():
    assert disclosure.share(3, 20).suppressed  # three people coached
    assert disclosure.share(18, 20).suppressed  # two people not coached
    shown = disclosure.share(10, 20)
    assert not shown.suppressed and shown.text == "50%"
    assert disclosure.share(20, 20).text == "100%"  # nobody left out


def test_a_median_of_fewer_than_five_people_is_hidden():
    assert disclosure.statistic(12.0, people=4).suppressed
    assert disclosure.statistic(12.0, people=5).text == "12"
    assert disclosure.statistic(None, people=0).text == "–"
