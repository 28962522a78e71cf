# Finds the Debian-packaged dependencies. A missing one stops configure with the package
# name to install, because a CI log should say what to do, not just what failed.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: apt-get install pkg-config")
endif()
find_package(Threads REQUIRED)

pkg_check_modules(LIBEVENT IMPORTED_TARGET libevent_core)
if(NOT LIBEVENT_FOUND)
  message(FATAL_ERROR "libevent not found: apt-get install libevent-dev")
endif()

pkg_check_modules(HWLOC IMPORTED_TARGET hwloc)
if(NOT HWLOC_FOUND)
  message(FATAL_ERROR "hwloc not found: apt-get install libhwloc-dev")
endif()

if(LITEMPI_BUILD_TESTS)
  pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "CMocka not found: apt-get install libcmocka-dev")
  endif()
endif()
