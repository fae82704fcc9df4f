"""Case ids that two clerks' concurrent pull requests practically never share.

An id is <prefix><YYYYMMDD>-<5 random Crockford base32 characters>: 32**5 = 33.5 million ids per prefix
and day. Chance that two of n cases received on one day collide is about n*n / 67 million (1 in 6,700
at 100 cases a day); the ids already in the working tree and in every locally known branch (fetched
pull-request branches included) are avoided, and a collision that still slips through makes Git report
an add/add conflict and the validator a duplicate-id error, so it is never merged silently.
"""

from __future__ import annotations

import logging
import random
import secrets
from datetime import date
from pathlib import Path

log = logging.getLogger(__name__)

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread on the phone
SUFFIX_LENGTH = 5
_SYSTEM_RANDOM = secrets.SystemRandom()


def case_folder(day: date) -> str:
    """The folder of a case received on day, relative to records/."""
    return f"cases/{day:%Y}/{day:%m}"


def random_suffix(rng: random.Random | None = None) -> str:
    """Five random Crockford base32 characters."""
    rng = rng or _SYSTEM_RANDOM
    return "".join(rng.choice(CROCKFORD) for _ in range(SUFFIX_LENGTH))


def new_case_id(prefix: str, day: date, taken: set[str], rng: random.Random | None = None) -> str:
    """A fresh id for a case received on day, not in taken (compared without letter case)."""
    taken_folded = {t.casefold() for t in taken}
    for _ in range(100):
        candidate = f"{prefix}{day:%Y%m%d}-{random_suffix(rng)}"
        if candidate.casefold() not in taken_folded:
            return candidate
    raise RuntimeError("连续 100 次生成的编号都已被占用，请检查随机数来源")  # 1 in 10**400 by chance


def ids_in_folder(records_dir: Path, folder: str) -> set[str]:
    """Ids (file stems) of the records in one folder of the working tree."""
    path = records_dir / folder
    return {p.stem for p in path.glob("*.yaml")} if path.is_dir() else set()


def ids_in_git_refs(records_dir: Path, folder: str) -> set[str]:
    """Ids in that folder on every branch, remote branch and fetched pull request the local Git knows."""
    try:
        import git

        repo = git.Repo(records_dir, search_parent_directories=True)
        root = Path(repo.working_tree_dir).resolve()
        rel = (records_dir.resolve() / folder).relative_to(root).as_posix()
    except Exception as exc:  # not a Git checkout (or a bare one): the working tree is all there is
        log.info("no Git refs to check for ids: %s", exc)
        return set()
    out: set[str] = set()
    trees_seen: set[str] = set()
    for ref in repo.refs:
        try:
            tree = ref.commit.tree / rel
        except Exception:  # folder absent on that ref, or a ref that does not point to a commit
            continue
        if tree.hexsha in trees_seen:
            continue
        trees_seen.add(tree.hexsha)
        out.update(b.name[:-5] for b in tree.blobs if b.name.endswith(".yaml"))
    return out


def allocate_case_id(records_dir: Path, prefix: str, day: date, rng: random.Random | None = None) -> str:
    """A case id not used in the working tree nor on any branch known locally."""
    folder = case_folder(day)
    taken = ids_in_folder(records_dir, folder) | ids_in_git_refs(records_dir, folder)
    return new_case_id(prefix, day, taken, rng)
