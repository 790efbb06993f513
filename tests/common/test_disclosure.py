from coachloop.common import disclosure


def test_a_count_of_one_to_four_people_is_hidden_and_never_shown_as_a_number():
    for n in (1, 2, 3, 4):
        figure = disclosure.count(n)
        assert figure.suppressed
        assert figure.text == "hidden"
        assert str(n) not in figure.text


def test_zero_and_five_or_more_are_shown_as_numbers():
    assert disclosure.count(0).text == "0"
    assert disclosure.count(5).text == "5"
    assert disclosure.count(1234).text == "1,234"


def test_when_one_part_of_a_shown_total_is_hidden_the_next_smallest_is_hidden_too():
    figures = disclosure.parts({"coached": 20, "not coached": 3, "left": 9})
    assert figures["not coached"].suppressed
    assert figures["left"].suppressed and figures["left"].secondary
    assert not figures["coached"].suppressed


def test_two_hidden_parts_already_protect_each_other():
    figures = disclosure.parts({"a": 2, "b": 3, "c": 40})
    assert figures["a"].suppressed and figures["b"].suppressed
    assert not figures["c"].suppressed


def test_without_a_total_on_show_only_the_small_part_is_hidden():
    figures = disclosure.parts({"a": 2, "b": 30}, whole_shown=False)
    assert figures["a"].suppressed and not figures["b"].suppressed


def test_a_median_of_fewer_than_five_people_is_hidden():
    assert disclosure.statistic(12.0, people=4).suppressed
    assert disclosure.statistic(12.0, people=5).text == "12"
    assert disclosure.statistic(None, people=0).text == "–"


def test_a_hidden_part_and_the_part_hidden_to_protect_it_read_the_same():
    # Were they to read differently, the label would say the second is 0 or 5 and more.
    figures = disclosure.parts({"a": 3, "b": 6, "c": 20})
    assert figures["a"].text == figures["b"].text == "hidden"


def test_when_the_other_parts_are_zero_a_zero_is_hidden_beside_the_small_one():
    figures = disclosure.parts({"on": 0, "part": 0, "off": 3})
    assert figures["off"].suppressed
    assert [figures["on"].suppressed, figures["part"].suppressed].count(True) == 1


def test_parts_withheld_for_another_reason_count_as_hidden():
    figures = disclosure.parts({"autumn": 9, "spring": 12}, withheld={"spring"})
    assert figures["spring"].suppressed and figures["autumn"].suppressed


def test_a_figure_about_fewer_than_five_people_is_hidden_whatever_its_size():
    assert disclosure.count(6, people=1).suppressed  # six steps, one teacher
    assert disclosure.count(0, people=3).suppressed  # none of three is a fact about each
    assert disclosure.count(6, people=5).text == "6"
    assert disclosure.count(0, people=0).text == "0"
    hidden = disclosure.about_people(disclosure.parts({"a": 0, "b": 0, "c": 3}), 3)
    assert all(f.suppressed for f in hidden.values())


def test_a_total_is_shown_only_when_none_of_its_cells_is_hidden():
    shown, small = disclosure.count(7), disclosure.count(2)
    assert disclosure.total_of([shown, disclosure.count(9)]).text == "16"
    assert disclosure.total_of([shown, small]).suppressed
    assert disclosure.sum_of_shown([shown, small]).text == "7"


def test_a_share_is_shown_only_beside_both_of_its_figures():
    assert disclosure.share_of_figures(disclosure.count(6), disclosure.count(12)).text == "50%"
    assert disclosure.share_of_figures(disclosure.count(6), disclosure.count(2)).suppressed
    assert disclosure.share_of_figures(disclosure.count(3), disclosure.count(12)).suppressed


def test_a_hidden_figure_has_no_number_for_a_machine_though_its_value_is_kept():
    figure = disclosure.count(3)
    assert figure.value == 3
    assert figure.number is None


def test_no_figure_has_no_number():
    assert disclosure.Figure(None).number is None
    assert disclosure.Figure(None, percent=True).number is None


def test_a_number_for_a_machine_is_as_precise_as_the_page_and_no_more():
    share = disclosure.exact_share(5, 7)  # 71.428...%
    assert share.text == "71%"
    assert share.number == 71
    median = disclosure.statistic(12.46, people=9)
    assert median.text == "12.5"
    assert median.number == 12.5
    assert disclosure.count(1234).number == 1234
    assert disclosure.count(0).number == 0
