import pytest

from tests import xdist_groups


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.stack)


def pytest_generate_tests(metafunc):
    """Under `make test`'s workers, the final scan runs at the end of each share of the end-to-end
    tests, on the stack of the worker that ran that share (tests/xdist_groups.py)."""
    if metafunc.definition.nodeid.startswith(xdist_groups.FINAL_SCAN) and "e2e_share" in metafunc.fixturenames:
        shares = xdist_groups.E2E_SHARES if xdist_groups.runs_in_shares(metafunc.config) else ("all",)
        metafunc.parametrize("e2e_share", shares)
