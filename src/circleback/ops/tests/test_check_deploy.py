"""`circleback check --deploy` is clean with the production variables docs/deploy.md lists,
and names what is missing without them. Run as programs: settings are read at start-up."""

from __future__ import annotations

from pathlib import Path

from circleback.cli.tests.processes import run_program

PRODUCTION = {
    "CIRCLEBACK_SECRET_KEY": "kq3-Zp8vN_2rXw7Lm4TbYc9Hd1Fg6Js0Ue5Wa8Ri3Oy7Qn2Vx4Ck",
    "CIRCLEBACK_ALLOWED_HOSTS": "circleback.example.org",
    "CIRCLEBACK_CSRF_TRUSTED_ORIGINS": "https://circleback.example.org",
    "CIRCLEBACK_HTTPS": "1",
    "CIRCLEBACK_TRUSTED_PROXIES": "1",
}


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path: Path) -> None:
    result = run_program(tmp_path, "check", "--deploy", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_what_a_local_install_lacks(tmp_path: Path) -> None:
    result = run_program(tmp_path, "check", "--deploy")
    assert result.returncode == 1
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout, result.stdout
    assert result.stderr.strip().startswith("circleback: the configuration has problems")


def test_the_production_variables_are_the_ones_the_deployment_guide_lists() -> None:
    guide = (Path(__file__).parents[4] / "docs" / "deploy.md").read_text()
    for name in PRODUCTION:
        assert f"`{name}`" in guide, name
