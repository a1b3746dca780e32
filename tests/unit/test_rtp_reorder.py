"""RTP packets put back in sequence order: nothing waits in order, a swap is undone, a hole is given up after
`depth` packets, late and duplicated packets are dropped, numbers wrap at 2^16."""

from __future__ import annotations

from console.media.rtp.reorder import SEQ, Reorder


def feed(reorder: Reorder[int], seqs: list[int]) -> list[int]:
    out: list[int] = []
    for seq in seqs:
        out += reorder.push(seq, seq)
    return out


def test_packets_in_order_pass_at_once() -> None:
    reorder: Reorder[int] = Reorder()
    assert [reorder.push(s, s) for s in (10, 11, 12)] == [[10], [11], [12]]


def test_a_swapped_pair_comes_out_in_order() -> None:
    reorder: Reorder[int] = Reorder()
    assert feed(reorder, [1, 3, 2, 4, 6, 5]) == [1, 2, 3, 4, 5, 6]
    assert reorder.stats.reordered == 2 and reorder.stats.given_up == 0


def test_a_hole_is_given_up_after_depth_packets_and_the_rest_goes_on_in_order() -> None:
    reorder: Reorder[int] = Reorder(depth=3)
    assert feed(reorder, [1, 3, 4]) == [1]  # 2 may still come
    assert feed(reorder, [5]) == [3, 4, 5]  # three held: 2 is lost
    assert reorder.stats.given_up == 1
    assert feed(reorder, [2, 6]) == [6]  # 2 came too late: dropped
    assert reorder.stats.late == 1


def test_duplicates_are_dropped_and_numbers_wrap() -> None:
    reorder: Reorder[int] = Reorder()
    assert feed(reorder, [SEQ - 2, SEQ - 1, SEQ - 1, 1, 0, 2]) == [SEQ - 2, SEQ - 1, 0, 1, 2]
    assert reorder.stats.late == 1


def test_a_new_sender_starts_afresh() -> None:
    reorder: Reorder[int] = Reorder()
    feed(reorder, [100, 102])
    reorder.reset()
    assert feed(reorder, [7, 8]) == [7, 8]
