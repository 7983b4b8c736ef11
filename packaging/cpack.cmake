# The Debian package: `cpack -G DEB` in a configured and built tree (scripts/package.sh builds
# Release and runs it). Included from the top-level CMakeLists after every install rule.
set(CXOS_PACKAGE_MAINTAINER "cxos maintainers <cxos@localhost>" CACHE STRING "the .deb's Maintainer field")

# `cpack` and `make install` install what is built and never start a build of every target
# (the tests among them): scripts/package.sh builds cxos first, and the package test reuses the
# build's binary.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME cxos)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_CONTACT ${CXOS_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "customer friction from Slack and Microsoft Teams to the team that owns it")
set(CPACK_PACKAGE_DESCRIPTION "cxos is a self-hosted chat-bot server: support agents log customer friction in Slack or
Teams, cxos stores it durably, groups repeats, routes it to the owner team's channel and
posts through a durable outbox. It runs as the systemd service cxos.service, storing its
SQLite database in /var/lib/cxos; secrets go in /etc/cxos/cxos.env.")
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT) # cxos_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The shared libraries' packages come from dpkg-shlibdeps (dpkg-dev); what the binary opens at
# run time without linking it is listed: the trust store for Slack's and Microsoft's
# certificates, the time zones of council schedules, and useradd for the postinst.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "ca-certificates, tzdata, passwd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/packaging/debian/postinst
    ${PROJECT_SOURCE_DIR}/packaging/debian/prerm
    ${PROJECT_SOURCE_DIR}/packaging/debian/postrm
    ${PROJECT_SOURCE_DIR}/packaging/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

include(CPack)
