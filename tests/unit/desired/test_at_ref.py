"""Desired files read at a git commit: real repositories made with the real ``git``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
import yaml

from faasdrift.desired.at_ref import load_at_ref
from faasdrift.desired.git import Blob, GitError, ObjectReader
from faasdrift.errors import DesiredFileError

DEFAULTS = {"project_id": 1, "region_id": 1, "namespace": "prod-api"}


def git(repo: Path, *args: str) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    done = subprocess.run(
        ["git", *args], cwd=repo, capture_output=True, text=True, check=True, env=environment
    )
    return done.stdout.strip()


def write(repo: Path, name: str, content: object) -> Path:
    path = repo / name
    path.parent.mkdir(parents=True, exist_ok=True)
    text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def commit(repo: Path, message: str = "deploy") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD")


def desired(*functions: dict[str, object]) -> dict[str, object]:
    return {"defaults": DEFAULTS, "functions": list(functions)}


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    folder = tmp_path / "repo"
    folder.mkdir()
    git(folder, "init", "-q", "-b", "main")
    return folder


def test_a_file_at_a_commit_with_its_code_file_as_it_was_there(repo: Path) -> None:
    write(repo, "deploy/app.yaml", desired({"name": "hello", "code_file": "handlers/hello.py"}))
    write(repo, "deploy/handlers/hello.py", "return 'deployed'\n")
    first = commit(repo)
    write(repo, "deploy/handlers/hello.py", "return 'changed since'\n")  # the pull request's
    write(repo, "deploy/app.yaml", desired({"name": "hello", "timeout": 9}))
    commit(repo, "change")

    at = load_at_ref([Path("deploy/app.yaml")], "HEAD~1", cwd=repo)

    assert at.commit == first
    assert at.warnings == ()
    (function,) = at.state.functions
    assert function.fields == {"code_text": "return 'deployed'\n"}
    assert function.source == at.state.source == "HEAD~1:deploy/app.yaml"
    assert at.state.files == ()  # nothing of the working tree was read


def test_a_directory_at_a_commit_and_paths_relative_to_the_current_directory(repo: Path) -> None:
    write(repo, "deploy/a.yaml", desired({"name": "a-fn", "timeout": 1}))
    write(repo, "deploy/b.yml", desired({"name": "b-fn", "timeout": 2}))
    write(repo, "deploy/nested/c.yaml", desired({"name": "c-fn", "timeout": 3}))  # not read
    commit(repo)

    at = load_at_ref([Path(".")], "main", cwd=repo / "deploy")

    assert [function.identity.name for function in at.state.functions] == ["a-fn", "b-fn"]
    assert at.state.source == "main:deploy/a.yaml, main:deploy/b.yml"


def test_a_path_absent_at_the_commit_is_an_empty_base(repo: Path) -> None:
    write(repo, "README.md", "first commit\n")
    write(repo, "deploy/handlers/x.py", "code\n")  # a folder, but no desired file yet
    commit(repo)

    at = load_at_ref([Path("deploy/app.yaml"), Path("deploy")], "main", cwd=repo)

    assert at.state.functions == ()
    assert at.warnings == (
        "main:deploy/app.yaml does not exist at main: an empty base (a first deploy)",
        "main:deploy holds no *.yaml or *.yml file at main: an empty base (a first deploy)",
    )


def test_problems_in_the_base_name_the_files_at_the_ref(repo: Path) -> None:
    write(
        repo,
        "deploy/app.yaml",
        desired({"name": "hello", "timeout": 500}, {"name": "other", "code_file": "gone.py"}),
    )
    commit(repo)

    with pytest.raises(DesiredFileError) as caught:
        load_at_ref([Path("deploy/app.yaml")], "main", cwd=repo)

    messages = [str(problem) for problem in caught.value.problems]
    assert messages == [
        "main:deploy/app.yaml:7:12: functions[0].timeout: 500 is greater than the maximum of 180",
        "main:deploy/app.yaml:9:14: functions[1].code_file: cannot read 'gone.py' "
        "(main:deploy/gone.py): does not exist",
    ]


def test_a_code_file_too_large_is_refused_as_in_a_checkout(repo: Path) -> None:
    write(repo, "deploy/app.yaml", desired({"name": "hello", "code_file": "big.py"}))
    write(repo, "deploy/big.py", "#" * 400_001)
    commit(repo)

    with pytest.raises(DesiredFileError, match=r"big\.py.*is larger than 400,000 bytes, the limit"):
        load_at_ref([Path("deploy/app.yaml")], "main", cwd=repo)


def test_only_the_files_the_base_names_are_read_out_of_git(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = desired(
        {"name": "hello", "code_file": "handlers/hello.py"},
        {"name": "linked", "code_file": "shared/linked.py"},
    )
    write(repo, "deploy/app.yaml", app)
    write(repo, "deploy/handlers/hello.py", "hello\n")
    write(repo, "deploy/real/linked.py", "through a folder's symlink\n")
    (repo / "deploy" / "shared").symlink_to("real")
    for number in range(3):  # what a deploy folder also holds: assets, tests, other handlers
        write(repo, f"deploy/assets/{number}.bin", "x" * 1000)
    write(repo, "deploy/handlers/unused.py", "never named\n")
    commit(repo)
    read: list[str] = []
    original = ObjectReader.read

    def recording(self: ObjectReader, blob: Blob) -> bytes:
        read.append(str(blob.path))
        return original(self, blob)

    monkeypatch.setattr(ObjectReader, "read", recording)

    at = load_at_ref([Path("deploy")], "main", cwd=repo)

    codes = [function.fields["code_text"] for function in at.state.functions]
    assert codes == ["hello\n", "through a folder's symlink\n"]
    assert sorted(read) == [
        "deploy/app.yaml",
        "deploy/handlers/hello.py",
        "deploy/real/linked.py",
        "deploy/shared",  # the symlink's target, as a checkout writes it
    ]


def test_a_symlink_out_of_the_repository_is_never_read_as_the_base(
    repo: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("the runner's secret\n")
    write(repo, "deploy/app.yaml", desired({"name": "hello", "code_file": "link.py"}))
    (repo / "deploy" / "link.py").symlink_to(outside)
    commit(repo)

    with pytest.raises(DesiredFileError, match="is outside the folder of the desired file"):
        load_at_ref([Path("deploy/app.yaml")], "main", cwd=repo)
    with pytest.raises(GitError, match="which is not in the repository at main"):
        load_at_ref([Path("deploy/app.yaml")], "main", cwd=repo, allow_outside_paths=True)


def test_allow_outside_paths_reads_the_rest_of_the_tree_at_the_ref(repo: Path) -> None:
    write(repo, "deploy/app.yaml", desired({"name": "hello", "code_file": "../src/hello.py"}))
    write(repo, "src/hello.py", "at the commit\n")
    commit(repo)
    write(repo, "src/hello.py", "in the working tree\n")

    at = load_at_ref([Path("deploy/app.yaml")], "main", cwd=repo, allow_outside_paths=True)

    assert at.state.functions[0].fields["code_text"] == "at the commit\n"


def test_a_ref_that_does_not_exist_says_how_to_fetch_it(repo: Path) -> None:
    write(repo, "deploy/app.yaml", desired({"name": "hello", "timeout": 1}))
    commit(repo)

    with pytest.raises(GitError, match=r"--base-ref 'origin/main': no such commit in .*fetched"):
        load_at_ref([Path("deploy/app.yaml")], "origin/main", cwd=repo)
    with pytest.raises(GitError, match="--base-ref '--output=x' is not a git revision"):
        load_at_ref([Path("deploy/app.yaml")], "--output=x", cwd=repo)


def test_a_shallow_clone_without_the_ref_says_so(repo: Path, tmp_path: Path) -> None:
    write(repo, "deploy/app.yaml", desired({"name": "hello", "timeout": 1}))
    commit(repo)
    write(repo, "deploy/app.yaml", desired({"name": "hello", "timeout": 2}))
    commit(repo)
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", repo.as_uri(), str(clone))

    with pytest.raises(GitError, match=r"this clone is shallow: .*fetch-depth: 0"):
        load_at_ref([Path("deploy/app.yaml")], "HEAD~1", cwd=clone)


def test_outside_a_repository_or_without_git_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(
        GitError, match=r"--base-ref needs a git repository: .*not a git repository"
    ):
        load_at_ref([Path("app.yaml")], "main", cwd=tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(GitError, match="--base-ref needs git, which is not installed"):
        load_at_ref([Path("app.yaml")], "main", cwd=tmp_path)


def test_a_path_outside_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    commit(repo)
    with pytest.raises(GitError, match="is outside the git repository"):
        load_at_ref([tmp_path / "elsewhere.yaml"], "main", cwd=repo)


def test_every_value_from_the_environment_is_registered(repo: Path) -> None:
    write(repo, "app.yaml", desired({"name": "hello", "envs": {"DB_PASSWORD": "${DB_PASSWORD}"}}))
    commit(repo)
    seen: list[str] = []

    at = load_at_ref(
        [Path("app.yaml")], "main", cwd=repo, environ={"DB_PASSWORD": "s3cret"}, protect=seen.append
    )

    assert seen == ["s3cret"]
    assert at.state.functions[0].sensitive == frozenset({"DB_PASSWORD"})
