# Installing and packaging idc.
#
#   cmake --install build [--prefix DIR]     bin/idc, the man page, completions
#   cmake --build build --target package     build/idc_<version>_<arch>.deb
#
# The completion scripts are generated at build time by the binary itself
# (`idc completion SHELL`) and installed where each shell looks for them.

set(IDC_COMPLETION_DIR ${CMAKE_CURRENT_BINARY_DIR}/completions)
set(IDC_COMPLETIONS
  "bash|bash-completion/completions|idc"
  "zsh|zsh/site-functions|_idc"
  "fish|fish/vendor_completions.d|idc.fish")
set(IDC_COMPLETION_FILES)
foreach(c IN LISTS IDC_COMPLETIONS)
  string(REPLACE "|" ";" c "${c}")
  list(GET c 0 shell)
  list(GET c 1 dir)
  list(GET c 2 name)
  set(out ${IDC_COMPLETION_DIR}/${shell}/${name})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${IDC_COMPLETION_DIR}/${shell}
    COMMAND ${CMAKE_COMMAND} -DIDC=$<TARGET_FILE:idc> -DSHELL=${shell}
            -DOUT=${out} -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/IdcCompletion.cmake
    DEPENDS idc ${CMAKE_CURRENT_SOURCE_DIR}/cmake/IdcCompletion.cmake
    COMMENT "Generating the ${shell} completion"
    VERBATIM)
  list(APPEND IDC_COMPLETION_FILES ${out})
  install(FILES ${out} DESTINATION ${CMAKE_INSTALL_DATADIR}/${dir})
endforeach()
add_custom_target(completions ALL DEPENDS ${IDC_COMPLETION_FILES})

install(TARGETS idc RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES man/idc.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)

# The Debian package.  dpkg-shlibdeps finds the libraries the binary links
# (libc only: libxdg-basedir is linked statically); the ones idc loads with
# dlopen on first use are invisible to it, so their packages are named here:
# every IDC_LIB*_SONAME the sources are compiled with, and libexpat (the
# STS/XML client's), each looked up in the dpkg database of the build
# machine (the package that ships it), falling back to Debian 12's names.
# tests/package/test_package.py checks that every soname in the binary has
# its package in Depends.
set(IDC_DLOPEN_SONAMES "libexpat.so.1|libexpat1")
get_target_property(IDC_CORE_DEFS idccore COMPILE_DEFINITIONS)
foreach(d IN LISTS IDC_CORE_DEFS)
  if(d MATCHES "^IDC_LIB([A-Z0-9]+)_SONAME=\"?([^\"]+)\"?$")
    string(TOLOWER "lib${CMAKE_MATCH_1}" guess)
    list(APPEND IDC_DLOPEN_SONAMES "${CMAKE_MATCH_2}|${guess}")
  endif()
endforeach()
set(IDC_DLOPEN_DEPENDS)
find_program(DPKG_QUERY dpkg-query)
foreach(s IN LISTS IDC_DLOPEN_SONAMES)
  string(REPLACE "|" ";" s "${s}")
  list(GET s 0 soname)
  list(GET s 1 package)
  if(DPKG_QUERY)
    execute_process(COMMAND ${DPKG_QUERY} -S "*/${soname}"
      OUTPUT_VARIABLE owner ERROR_QUIET RESULT_VARIABLE rc)
    if(rc EQUAL 0 AND owner MATCHES "^([a-z0-9][a-z0-9.+-]*)[:,]")
      set(package ${CMAKE_MATCH_1})
    endif()
  endif()
  list(APPEND IDC_DLOPEN_DEPENDS ${package})
endforeach()
list(REMOVE_DUPLICATES IDC_DLOPEN_DEPENDS)
string(REPLACE ";" ", " IDC_DLOPEN_DEPENDS "${IDC_DLOPEN_DEPENDS}")

set(IDC_PACKAGE_MAINTAINER
  "idc maintainers <maintainers@users.noreply.r-seed-97772144.example>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME idc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT ${IDC_PACKAGE_MAINTAINER})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "sign in to AWS IAM Identity Center and hand out role credentials")
set(CPACK_PACKAGE_DESCRIPTION
  "idc does for a terminal what `aws configure sso`, `aws sso login`,\n\
`aws sso logout` and `aws configure export-credentials` do, and hands the\n\
role credentials to SDKs (credential_process), shells, CI jobs and tools\n\
that read ~/.aws/credentials.  One small native binary, compatible with the\n\
files the AWS CLI and the AWS SDKs read.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# dpkg-shlibdeps' result is appended to these.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "${IDC_DLOPEN_DEPENDS}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion, awscli")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_GENERATOR "")
include(CPack)
