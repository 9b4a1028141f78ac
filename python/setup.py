"""setuptools hook (the project's metadata is in pyproject.toml): when the
package is built from a clone, it records where that clone's libparley.so
are, so that an installed copy (pip install --target DIR ./python) finds
the library without PARLEY_LIBRARY (python/README.md, "Which
libparley.so"): the clone's build trees (build/, build-*/) and what
`cmake --install` installed from them (their install_manifest.txt)."""
import glob
import os

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def _installed_libraries():
    """libparley.so files listed by each build tree's install_manifest.txt
    (written by cmake --install), newest build tree first."""
    found = []
    trees = sorted(glob.glob(os.path.join(ROOT, "build*")),
                   key=os.path.getmtime, reverse=True)
    for tree in trees:
        try:
            with open(os.path.join(tree, "install_manifest.txt")) as f:
                lines = f.read().split("\n")
        except OSError:
            continue
        found += [p for p in lines
                  if os.path.basename(p).startswith("libparley.so")
                  and p not in found]
    # the unversioned link first, then the versioned names
    return sorted(found, key=lambda p: len(os.path.basename(p)))


class BuildPy(build_py):
    def run(self):
        super().run()
        clone = os.path.isfile(os.path.join(ROOT, "CMakeLists.txt"))
        target = os.path.join(self.build_lib, "parley", "_where.py")
        with open(target, "w") as f:
            f.write('"""Written by python/setup.py when the package was built '
                    '(see _lib.py)."""\n')
            f.write(f"SOURCE_ROOT = {ROOT if clone else None!r}\n")
            f.write(f"INSTALLED = {_installed_libraries() if clone else []!r}\n")


setup(cmdclass={"build_py": BuildPy})
