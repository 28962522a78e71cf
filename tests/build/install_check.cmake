# install_check.cmake - installs the build tree into a private prefix, then uses it the way
# downstream projects do. Nothing is run: this checks compiling and linking only.
#
# cmake -DBUILD_DIR=<build> -DWORK_DIR=<scratch dir> -DMODE=<mode> -DHELLO_SOURCE=<file>
#       -DFINDMPI_DIR=<tests/build/findmpi> -DVERSION=<x.y.z> -P install_check.cmake
# MODE: files     the install holds the wrappers, header, library and .pc files
#       findmpi   find_package(MPI) with MPI_C_COMPILER pointing at the installed mpicc
#       mpi_home  find_package(MPI) with only MPI_HOME (needs mpiexec installed beside mpicc)
#       pkgconfig pkg-config litempi / mpi / mpi-c give flags that build a program

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "`${cmd}` exited ${rc}\nstdout:\n${out}\nstderr:\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
endfunction()

# Fails unless every further argument occurs in text (plain substrings, not regexes:
# paths may hold regex characters).
function(expect_in text)
  foreach(s IN LISTS ARGN)
    string(FIND "${text}" "${s}" pos)
    if(pos EQUAL -1)
      message(FATAL_ERROR "expected '${s}' in:\n${text}")
    endif()
  endforeach()
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
file(MAKE_DIRECTORY "${WORK_DIR}")
set(prefix "${WORK_DIR}/prefix")
run(${CMAKE_COMMAND} --install "${BUILD_DIR}" --prefix "${prefix}")

# Where the installed files went (GNUInstallDirs may have chosen lib64 or a multiarch dir).
file(GLOB_RECURSE pcs "${prefix}/*/litempi.pc")
list(LENGTH pcs n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "expected one litempi.pc under ${prefix}, found: ${pcs}")
endif()
get_filename_component(pcdir "${pcs}" DIRECTORY)
get_filename_component(libdir "${pcdir}" DIRECTORY)

if(MODE STREQUAL "files")
  foreach(f bin/mpicc bin/mpicc_abi bin/mpicxx bin/mpic++ bin/mpiCC include/mpi.h)
    if(NOT EXISTS "${prefix}/${f}")
      message(FATAL_ERROR "not installed: ${prefix}/${f}")
    endif()
  endforeach()
  foreach(f liblitempi.so pkgconfig/mpi.pc pkgconfig/mpi-c.pc)
    if(NOT EXISTS "${libdir}/${f}")
      message(FATAL_ERROR "not installed: ${libdir}/${f}")
    endif()
  endforeach()
  file(GLOB vendor_pcs "${pcdir}/mpich*.pc" "${pcdir}/ompi*.pc")
  if(vendor_pcs)
    message(FATAL_ERROR "another vendor's pkg-config name installed: ${vendor_pcs}")
  endif()
  # The installed wrapper names the prefix, not the build tree.
  run("${prefix}/bin/mpicc" -show)
  expect_in("${run_output}" "-I${prefix}/include " "-L${libdir} " "-Wl,-rpath,${libdir} ")
  string(FIND "${run_output}" "-L${BUILD_DIR}/lib " pos)
  if(NOT pos EQUAL -1)
    message(FATAL_ERROR "installed mpicc -show points into the build tree:\n${run_output}")
  endif()
  # ... and builds a program that finds its library through the rpath.
  run("${prefix}/bin/mpicc" "${HELLO_SOURCE}" -o "${WORK_DIR}/hello")
  run(readelf -d "${WORK_DIR}/hello")
  expect_in("${run_output}" "liblitempi" "${libdir}")

elseif(MODE STREQUAL "findmpi" OR MODE STREQUAL "mpi_home")
  if(MODE STREQUAL "findmpi")
    set(how "-DMPI_C_COMPILER=${prefix}/bin/mpicc" "-DMPI_CXX_COMPILER=${prefix}/bin/mpicxx")
  else()
    if(NOT EXISTS "${prefix}/bin/mpiexec")
      # FindMPI locates mpiexec first and the wrappers beside it; without ours it would
      # pick another MPI's mpiexec. Reported as skipped (ctest SKIP_REGULAR_EXPRESSION) until
      # the launcher is installed.
      message("SKIP: ${prefix}/bin/mpiexec is not installed")
      return()
    endif()
    set(how "-DMPI_HOME=${prefix}")
  endif()
  # A clean environment: no compiler overrides that would point FindMPI elsewhere.
  run(${CMAKE_COMMAND} -E env --unset=MPI_HOME --unset=LITEMPI_CC --unset=MPICH_CC
      --unset=OMPI_CC --unset=LITEMPI_CXX --unset=MPICH_CXX --unset=OMPI_CXX
      ${CMAKE_COMMAND} -S "${FINDMPI_DIR}" -B "${WORK_DIR}/project"
      -DLITEMPI_PREFIX=${prefix} -DHELLO_SOURCE=${HELLO_SOURCE} ${how})
  message("${run_output}")
  run(${CMAKE_COMMAND} --build "${WORK_DIR}/project")
  if(NOT EXISTS "${WORK_DIR}/project/hello_findmpi")
    message(FATAL_ERROR "the FindMPI project built no hello_findmpi")
  endif()

elseif(MODE STREQUAL "pkgconfig")
  find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
  set(env ${CMAKE_COMMAND} -E env "PKG_CONFIG_PATH=${pcdir}" --unset=PKG_CONFIG_LIBDIR)
  run(${env} ${PKG_CONFIG} --modversion litempi)
  string(STRIP "${run_output}" v)
  if(NOT v STREQUAL VERSION)
    message(FATAL_ERROR "pkg-config --modversion litempi: '${v}', expected '${VERSION}'")
  endif()
  foreach(module litempi mpi mpi-c)
    run(${env} ${PKG_CONFIG} --cflags --libs ${module})
    expect_in("${run_output}" "-I${prefix}/include" "-L${libdir}" "-llitempi")
  endforeach()
  run(${env} ${PKG_CONFIG} --static --libs litempi)
  expect_in("${run_output}" "-lpthread")
  # Build with nothing but the pkg-config flags.
  run(${env} ${PKG_CONFIG} --cflags --libs litempi)
  string(STRIP "${run_output}" flags)
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(cc "${HELLO_SOURCE}" -o "${WORK_DIR}/hello" ${flags})

else()
  message(FATAL_ERROR "unknown MODE '${MODE}'")
endif()
