"""Build of the optional C accelerator; everything else is in pyproject.toml.

``repostguard.importers._vkspeed`` does the per-character work of importing a VK archive (see
its source). It is optional: where no C compiler is at hand (a Windows machine without Visual
Studio's build tools), the build goes on without it and the importer runs its Python code, which
gives the same items.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "repostguard.importers._vkspeed",
            sources=["src/repostguard/importers/_vkspeed.c"],
            optional=True,
        )
    ]
)
