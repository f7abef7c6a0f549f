# The cached path's code in one place (docs/ARCHITECTURE.md, "A cached call
# touches few pages").  Every first touch of a page of code costs a page
# fault, and the kernel maps the 64 KiB around a fault at once.  So:
#   - idc's code is compiled with -ffunction-sections, each function in a
#     section of its own;
#   - the link uses the linker's own default script with one change: .text
#     begins with the C runtime's start-up, the functions a cached call runs
#     (cmake/cached-path.txt, written by scripts/cached-path.py) and
#     libxdg-basedir, ahead of the rest in the default order, and .fini
#     sits before .text, next to .init, rather than after it;
#   - segments are aligned to 64 KiB (-z max-page-size), so that the kernel
#     loads the binary at a 64 KiB boundary and those 48 KiB or so lie in
#     one fault-around window, not two.
# The functions stay in .text, where debuggers and valgrind look for them.
# The alignment takes 4 of the 28 bits of the load address's randomisation
# on x86_64.  The default script is GNU ld's (`ld --verbose`); with a
# linker that prints none, idc links in the default order, with a warning
# (and test_cached_path_code_is_linked_together fails).
# test_cached_path_code_is_linked_together holds the list to what runs.
function(idc_link_cached_path_together lib exe)
  set(list ${CMAKE_CURRENT_SOURCE_DIR}/cmake/cached-path.txt)
  set(probe ${CMAKE_CURRENT_BINARY_DIR}/cached-path-probe)
  set(script ${CMAKE_CURRENT_BINARY_DIR}/cached-path.ld)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${list})

  # The default script, as `ld --verbose` prints it for this compiler's
  # kind of executable (PIE or not).
  file(WRITE ${probe}.c "int main(void) { return 0; }\n")
  execute_process(
    COMMAND ${CMAKE_C_COMPILER} -Wl,--verbose -o ${probe} ${probe}.c
    OUTPUT_VARIABLE verbose ERROR_QUIET RESULT_VARIABLE rc)
  string(REGEX MATCH "\n=+\n(.*)\n=+\n" _ "${verbose}")
  set(default "${CMAKE_MATCH_1}")
  set(anchor "    *(.text.unlikely .text.*_unlikely .text.unlikely.*)")
  string(FIND "${default}" "${anchor}" at)
  if(NOT rc EQUAL 0 OR at EQUAL -1)
    message(WARNING "idc: the linker's default script has no .text.unlikely "
      "line; the cached path's code is linked in the default order")
    return()
  endif()

  file(STRINGS ${list} names REGEX "^[^#]")
  get_filename_component(xdg ${IDC_XDGBASE_LIB} NAME)
  set(block "    /* idc: the cached path first (cmake/IdcCachedPath.cmake). */\n")
  string(APPEND block "    *crt1.o(.text .text.*)\n    *crti.o(.text .text.*)\n")
  string(APPEND block "    *crtbegin*.o(.text .text.*)\n")
  string(APPEND block "    *(.text.startup .text.startup.*)\n")
  foreach(name IN LISTS names)
    string(APPEND block "    *(.text.${name})\n")
  endforeach()
  string(APPEND block "    *${xdg}:*(.text .text.*)\n")
  string(REPLACE "${anchor}" "${block}${anchor}" edited "${default}")
  # .fini (the _fini every exit calls) moves from after .text to before
  # it, next to .init, out of a window of its own.
  set(fini "  .fini           :\n  {\n    KEEP (*(SORT_NONE(.fini)))\n  }\n")
  set(plt "  .plt            :")
  string(FIND "${edited}" "${fini}" fini_at)
  string(FIND "${edited}" "${plt}" plt_at)
  if(NOT fini_at EQUAL -1 AND NOT plt_at EQUAL -1)
    string(REPLACE "${fini}" "" edited "${edited}")
    string(REPLACE "${plt}" "${fini}${plt}" edited "${edited}")
  endif()
  file(WRITE ${script}.tmp "${edited}\n")
  configure_file(${script}.tmp ${script} COPYONLY)

  target_compile_options(${lib} PRIVATE -ffunction-sections)
  target_compile_options(${exe} PRIVATE -ffunction-sections)
  target_link_options(${exe} PRIVATE "-Wl,-T,${script}"
    -Wl,-z,max-page-size=0x10000)
  set_property(TARGET ${exe} APPEND PROPERTY LINK_DEPENDS ${script})
endfunction()
