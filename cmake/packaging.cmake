# SPDX-License-Identifier: Apache-2.0
# The Debian package (docs/install.md): `cpack -G DEB` in a build folder, or
# `cmake --build <build> --target package`. It holds what `cmake --install` installs, under
# /usr, with the binary stripped; dpkg-shlibdeps (package dpkg-dev) derives the dependencies
# (libz3, libmimalloc, ...) from the libraries the binary links.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME assure)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "assure maintainers")
set(ASSURE_PACKAGE_MAINTAINER "assure maintainers <maintainers@users.noreply.h-seed-d79e33e2.example>"
    CACHE STRING "Maintainer field of the Debian package")
set(CPACK_PACKAGE_CONTACT "${ASSURE_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ASSURE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "checks and proves assurance cases written as code")
# The summary above is the first line; CPack prepends it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "assure reads assurance cases (claims, strategies, evidence, hazards and the operating
domain they hold in) written in its language, reports every error with a stable code, and
decides with Z3 which claims are supported and why. The package holds the assure command,
its standard library of risk tables and argument patterns, the documentation and examples.")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
include(CPack)
