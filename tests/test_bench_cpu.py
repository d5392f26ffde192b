"""The bench's CPU accounting (benchmarks/cpu.py), read from /proc."""

import os
import socket

from benchmarks.cpu import CpuSnapshot, local_ports, process_seconds, process_tree, spent


def test_a_process_cpu_time_grows_with_work() -> None:
    before = process_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))
    after = process_seconds(os.getpid())

    assert before is not None
    assert after is not None
    assert after > before


def test_a_gone_process_has_no_cpu_time() -> None:
    assert process_seconds(2**22 + 1) is None  # above the kernel's default pid_max


def test_the_tree_holds_the_process_itself() -> None:
    assert process_tree(os.getpid())[0] == os.getpid()


def test_the_ports_of_a_process_include_its_listening_socket() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        assert port in local_ports([os.getpid()])


def test_spent_counts_a_new_backend_whole_and_old_ones_by_difference() -> None:
    before = CpuSnapshot(server={1: 2.0}, backends={10: 1.0})
    after = CpuSnapshot(server={1: 2.5}, backends={10: 1.25, 11: 0.5})

    used = spent(before, after)

    assert used.server == 0.5
    assert used.database == 0.75


def test_without_backends_to_tell_apart_the_database_share_is_unknown() -> None:
    used = spent(CpuSnapshot({1: 1.0}, None), CpuSnapshot({1: 1.5}, None))

    assert used.database is None
