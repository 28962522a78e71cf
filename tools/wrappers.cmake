# wrappers.cmake - generates the compiler wrappers and pkg-config files from their templates.
#
# Used twice: at configure time for the build tree (paths into the source and build
# directories) and at install time, from an install(CODE) rule, so that the installed copies
# name the prefix actually installed to (`cmake --install build --prefix /somewhere` works).
# Works in script mode, so it uses nothing that needs a project.
#
# lm_generate_tools(<out_dir> SRC_DIR <tools dir> PREFIX <p> INCDIR <dir> LIBDIR <dir>
#                   VERSION <x.y.z> C_COMPILER <cc> CXX_COMPILER <c++>)
function(lm_generate_tools out_dir)
  cmake_parse_arguments(A "" "SRC_DIR;PREFIX;INCDIR;LIBDIR;VERSION;C_COMPILER;CXX_COMPILER"
                        "" ${ARGN})
  set(LM_PREFIX "${A_PREFIX}")
  set(LM_INCDIR "${A_INCDIR}")
  set(LM_LIBDIR "${A_LIBDIR}")
  set(LM_VERSION "${A_VERSION}")

  # C wrappers: mpicc and the standard ABI's fixed name mpicc_abi (same library).
  set(LM_LANG "C")
  set(LM_COMPILER "${A_C_COMPILER}")
  set(LM_ENV_VARS "LITEMPI_CC MPICH_CC OMPI_CC")
  foreach(LM_NAME mpicc mpicc_abi)
    configure_file("${A_SRC_DIR}/mpicc.in" "${out_dir}/${LM_NAME}" @ONLY)
  endforeach()

  # C++ wrappers: the names FindMPI and meson look for.
  set(LM_LANG "C++")
  set(LM_COMPILER "${A_CXX_COMPILER}")
  set(LM_ENV_VARS "LITEMPI_CXX MPICH_CXX OMPI_CXX")
  foreach(LM_NAME mpicxx mpic++ mpiCC)
    configure_file("${A_SRC_DIR}/mpicc.in" "${out_dir}/${LM_NAME}" @ONLY)
  endforeach()

  configure_file("${A_SRC_DIR}/litempi.pc.in" "${out_dir}/litempi.pc" @ONLY)
  foreach(LM_PC_NAME mpi mpi-c)
    configure_file("${A_SRC_DIR}/mpi-alias.pc.in" "${out_dir}/${LM_PC_NAME}.pc" @ONLY)
  endforeach()
endfunction()
