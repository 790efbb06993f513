"""Making the trusts' rows, in this process or in several.

The trusts and their frameworks are written first, here (``Job.start``): the framework goes in
through the application, whose ids come from the database's sequences, so one process loads
every framework in trust order. The rest of each trust's rows (``Job.build``) need nothing but
the trust's plan, its own random stream, its framework and its blocks of ids (``Rows``), so the
trusts can be shared between processes (``in_processes``) and the rows are the same whichever
process makes them.

Each process is a fork of this one (it inherits the plan, the frameworks and the database
settings, so a test's database too) with a connection and a transaction of its own.
"""

import multiprocessing
import random
import time
import traceback
from dataclasses import dataclass, field

from django.db import connection, connections, transaction

from coachloop.coaching.models import DropIn
from coachloop.common.tenancy import scopes_disabled
from coachloop.people.models import Trust

from .plan import GenerateError
from .rows import Rows, database_cpu_seconds
from .trust import TrustBuilder, framework


@dataclass
class Job:
    trust_plans: list
    seed: int
    today: object
    days: list
    password_hash: str
    log: object
    began: float
    bases: dict = field(default_factory=dict)
    trusts: dict = field(default_factory=dict)  # trust number -> (id, framework id, steps)

    def start(self) -> int:
        """Write every trust and load its framework; return the number of trusts written."""
        rows = Rows(self.bases)
        try:
            for trust_plan in self.trust_plans:
                rows.start_trust(trust_plan.number)
                row = rows.add(Trust, name=trust_plan.name, slug=trust_plan.slug)
                rows.flush()
                trust = Trust.objects.get(pk=row["id"])
                self.trusts[trust_plan.number] = (trust.pk, *framework(trust))
        finally:
            rows.close()
        return rows.written[Trust]

    def build(self, trust_plans) -> dict:
        """Every other row of ``trust_plans``' trusts, on this process's connection; what was
        written and where the time went."""
        began, cpu, database_cpu = time.monotonic(), time.process_time(), database_cpu_seconds()
        rows = Rows(self.bases)
        try:
            for trust_plan in trust_plans:
                rows.start_trust(trust_plan.number)
                trust_id, framework_id, steps = self.trusts[trust_plan.number]
                builder = TrustBuilder(
                    trust_plan=trust_plan,
                    rows=rows,
                    rng=random.Random(f"{self.seed}:trust:{trust_plan.number - 1}:rows"),
                    today=self.today,
                    days=self.days,
                    password_hash=self.password_hash,
                )
                builder.build(trust_id, steps, framework_id)
                rows.flush(wait=False)
                self.log(
                    f"{trust_plan.slug}: {len(trust_plan.schools)} schools, "
                    f"{rows.written[DropIn]} drop-ins so far in this process "
                    f"({time.monotonic() - self.began:.0f} s)"
                )
            rows.flush()
            rows.check_block()
        finally:
            rows.close()
        waiting = rows.writer.seconds_waiting if rows.writer else 0.0
        return {
            "rows": {model._meta.label: n for model, n in rows.written.items()},
            "seconds_python": time.monotonic() - began - waiting - rows.seconds_formatting,
            "seconds_formatting": rows.seconds_formatting,
            "seconds_copy_waiting": waiting,
            "cpu_seconds_python": time.process_time() - cpu,
            "cpu_seconds_database_copy": _difference(database_cpu_seconds(), database_cpu),
        }


def _difference(later, earlier):
    return None if later is None or earlier is None else later - earlier


def shares(trust_plans, workers) -> list[list]:
    """The trusts split into ``workers`` parts of about the same work (planned drop-ins and
    teachers), each in trust order."""
    parts = [[] for _ in range(workers)]
    loads = [0] * workers
    for trust_plan in sorted(trust_plans, key=lambda t: (-_work(t), t.number)):
        lightest = loads.index(min(loads))
        parts[lightest].append(trust_plan)
        loads[lightest] += _work(trust_plan)
    return [sorted(part, key=lambda t: t.number) for part in parts if part]


def _work(trust_plan):
    return sum(s.dropins + 10 * s.teachers for s in trust_plan.schools)


def in_processes(job, workers) -> list[dict]:
    """Build the trusts in ``workers`` forked processes, each committing its own; return each
    one's figures (``Job.build``). Raises if any fails (the others' trusts stay written)."""
    if connection.in_atomic_block:
        raise GenerateError(
            "Generating in several processes needs the database in autocommit: each process "
            "commits its own trusts."
        )
    parts = shares(job.trust_plans, workers)
    connections.close_all()  # each process opens its own
    context = multiprocessing.get_context("fork")
    running = []
    for part in parts:
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(job, part, sender), daemon=True)
        process.start()
        sender.close()
        running.append((process, receiver))
    results, errors = [], []
    for process, receiver in running:
        try:
            outcome, value = receiver.recv()
        except EOFError:
            outcome, value = "error", f"a process ended with code {process.exitcode}"
        process.join()
        (results if outcome == "ok" else errors).append(value)
    if errors:
        raise GenerateError("Generating failed in a process:\n" + "\n".join(errors))
    return results


def _worker(job, part, sender):
    try:
        with transaction.atomic(), scopes_disabled():
            figures = job.build(part)
        sender.send(("ok", figures))
    except BaseException:  # noqa: BLE001 (reported to the parent, which raises)
        sender.send(("error", traceback.format_exc()))
    finally:
        connections.close_all()
        sender.close()
