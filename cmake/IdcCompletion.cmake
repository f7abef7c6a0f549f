# Run at build time (cmake -P): write `idc completion SHELL` to OUT, so the
# installed completion scripts are the ones the binary itself generates.
#   cmake -DIDC=path/to/idc -DSHELL=bash -DOUT=file -P IdcCompletion.cmake
execute_process(COMMAND ${IDC} completion ${SHELL}
  OUTPUT_FILE ${OUT}.tmp
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "'${IDC} completion ${SHELL}' failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
