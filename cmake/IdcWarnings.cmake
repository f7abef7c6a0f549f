# Warnings and sanitizers live in an INTERFACE target that every idc target
# links, so no global flags are touched.
add_library(idc_warnings INTERFACE)
target_compile_options(idc_warnings INTERFACE
  $<$<C_COMPILER_ID:GNU,Clang,AppleClang>:
    -Wall -Wextra -Wshadow -Wformat=2 -Wstrict-prototypes
    -Wmissing-prototypes -Wwrite-strings -Wundef -Wvla
    -Wimplicit-fallthrough -Wno-format-nonliteral>)
if(IDC_WERROR)
  target_compile_options(idc_warnings INTERFACE -Werror)
endif()
if(IDC_SANITIZE)
  target_compile_options(idc_warnings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(idc_warnings INTERFACE
    -fsanitize=address,undefined)
endif()
