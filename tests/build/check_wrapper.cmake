# check_wrapper.cmake - interrogates a compiler wrapper the way build tools do.
#
# cmake -DWRAPPER=<path> -DLANG=C|CXX -DVERSION=<x.y.z> -DINCDIR=<dir> -DLIBDIR=<dir>
#       -P check_wrapper.cmake
# Nothing is compiled: this checks the text the wrapper prints for each query flag that
# CMake's FindMPI, meson and build-probe-mpi use (see ECOSYSTEM.md §2.1-2.3).

get_filename_component(name "${WRAPPER}" NAME)

# Runs the command, fails the test on a non-zero exit, returns stdout without the newline.
function(run out_var)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "`${cmd}` exited ${rc}\nstdout: ${out}\nstderr: ${err}")
  endif()
  set(${out_var} "${out}" PARENT_SCOPE)
endfunction()

# expect(<text> <what> [HAS <substring>...] [LACKS <substring>...])
function(expect text what)
  cmake_parse_arguments(A "" "" "HAS;LACKS" ${ARGN})
  foreach(s IN LISTS A_HAS)
    string(FIND "${text}" "${s}" pos)
    if(pos EQUAL -1)
      message(FATAL_ERROR "${name} ${what}: expected '${s}' in:\n${text}")
    endif()
  endforeach()
  foreach(s IN LISTS A_LACKS)
    string(FIND "${text}" "${s}" pos)
    if(NOT pos EQUAL -1)
      message(FATAL_ERROR "${name} ${what}: did not expect '${s}' in:\n${text}")
    endif()
  endforeach()
  if(text MATCHES "\n")
    message(FATAL_ERROR "${name} ${what}: output must be one line:\n${text}")
  endif()
endfunction()

# Paths with blanks are printed quoted right after the flag: -I"/a b/include".
function(quoted out_var word)
  if(word MATCHES "[ \t]")
    set(word "\"${word}\"")
  endif()
  set(${out_var} "${word}" PARENT_SCOPE)
endfunction()
quoted(q_inc "${INCDIR}")
quoted(q_lib "${LIBDIR}")
quoted(q_rpath "-rpath,${LIBDIR}")
set(inc "-I${q_inc}")
set(ldir "-L${q_lib}")
set(rpath "-Wl,${q_rpath}")

# The full command: -show and its Open MPI spellings.
foreach(flag -show -showme --showme)
  run(out "${WRAPPER}" ${flag})
  expect("${out}" "${flag}" HAS "${inc}" "${ldir}" "${rpath}" "-llitempi" "-pthread")
endforeach()
run(out "${WRAPPER}" -show hello.c -o hello)
expect("${out}" "-show hello.c" HAS " hello.c -o hello " "-llitempi")
string(FIND "${out}" "${inc}" pos_inc)
string(FIND "${out}" "hello.c" pos_src)
string(FIND "${out}" "-llitempi" pos_lib)
if(NOT (pos_inc LESS pos_src AND pos_src LESS pos_lib))
  message(FATAL_ERROR "${name} -show: expected flags, then sources, then libraries:\n${out}")
endif()

# Compile-only runs get no link flags.
foreach(flag -c -E -S -M)
  run(out "${WRAPPER}" ${flag} hello.c -show)
  expect("${out}" "${flag} -show" HAS "${inc}" LACKS "-llitempi" "${ldir}")
endforeach()

# Arguments with blanks come back quoted (FindMPI and shells read them as one word).
run(out "${WRAPPER}" -show "a b.c")
expect("${out}" "-show 'a b.c'" HAS "\"a b.c\"")

# Open MPI's flag-only queries (FindMPI tries -showme:compile first; meson --showme:*).
foreach(dash - --)
  run(out "${WRAPPER}" ${dash}showme:compile)
  expect("${out}" "${dash}showme:compile" HAS "${inc}" LACKS "-llitempi" "${ldir}")
  run(out "${WRAPPER}" ${dash}showme:link)
  expect("${out}" "${dash}showme:link" HAS "${ldir}" "${rpath}" "-llitempi" LACKS "${inc}")
  run(out "${WRAPPER}" ${dash}showme:version)
  if(NOT out MATCHES "[0-9]+\\.[0-9]+\\.[0-9]+" OR NOT out MATCHES "LiteMPI ${VERSION}")
    message(FATAL_ERROR "${name} ${dash}showme:version: no version in '${out}'")
  endif()
endforeach()
run(out "${WRAPPER}" -showme:incdirs)
if(NOT out STREQUAL q_inc)
  message(FATAL_ERROR "${name} -showme:incdirs: '${out}', expected '${INCDIR}'")
endif()
run(out "${WRAPPER}" -showme:libdirs)
if(NOT out STREQUAL q_lib)
  message(FATAL_ERROR "${name} -showme:libdirs: '${out}', expected '${LIBDIR}'")
endif()
run(out "${WRAPPER}" -showme:libs)
if(NOT out STREQUAL "litempi")
  message(FATAL_ERROR "${name} -showme:libs: '${out}', expected 'litempi'")
endif()
execute_process(COMMAND "${WRAPPER}" -showme:nonsense RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(rc EQUAL 0)
  message(FATAL_ERROR "${name} -showme:nonsense must fail")
endif()

# MPICH's queries.
foreach(flag -compile_info -compile-info)
  run(out "${WRAPPER}" ${flag})
  expect("${out}" "${flag}" HAS "${inc}" LACKS "-llitempi")
endforeach()
foreach(flag -link_info -link-info)
  run(out "${WRAPPER}" ${flag})
  expect("${out}" "${flag}" HAS "${inc}" "${ldir}" "${rpath}" "-llitempi")
endforeach()
run(out "${WRAPPER}" -show-compile-info)
expect("${out}" "-show-compile-info" HAS "${inc}" LACKS "-llitempi")
run(out "${WRAPPER}" -show-link-info)
expect("${out}" "-show-link-info" HAS "${ldir}" "-llitempi")

# -v alone: the version line and exit 0 (meson reads the first line).
run(out "${WRAPPER}" -v)
if(NOT out STREQUAL "${name} for LiteMPI version ${VERSION}")
  message(FATAL_ERROR "${name} -v printed '${out}'")
endif()

# Choosing the compiler: -cc=, then LITEMPI_<LANG>, then MPICH_<LANG>, then OMPI_<LANG>.
if(LANG STREQUAL "CXX")
  set(var CXX)
else()
  set(var CC)
endif()
set(clean ${CMAKE_COMMAND} -E env --unset=LITEMPI_${var} --unset=MPICH_${var}
          --unset=OMPI_${var})
run(out ${clean} "${WRAPPER}" -cc=flagcc -show)
expect("${out}" "-cc=flagcc" HAS "flagcc ${inc}")
run(out ${clean} LITEMPI_${var}=envcc MPICH_${var}=mpichcc "${WRAPPER}" -show)
expect("${out}" "LITEMPI_${var}" HAS "envcc ${inc}")
run(out ${clean} MPICH_${var}=mpichcc OMPI_${var}=ompicc "${WRAPPER}" -show)
expect("${out}" "MPICH_${var}" HAS "mpichcc ${inc}")
run(out ${clean} OMPI_${var}=ompicc "${WRAPPER}" -show)
expect("${out}" "OMPI_${var}" HAS "ompicc ${inc}")
run(out ${clean} LITEMPI_${var}=envcc "${WRAPPER}" -cc=flagcc -show)
expect("${out}" "-cc= over LITEMPI_${var}" HAS "flagcc ${inc}")
