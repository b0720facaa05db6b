# Installed layout (cmake --install build --prefix P, or the Debian package
# from `cpack -G DEB` in build/):
#   P/libexec/sockcmp/   sockcmp, the paired programs, sc-guest-init and the
#                        UML shim: everything the driver finds beside itself
#   P/bin/               links to sockcmp and the four paired programs
#   P/share/sockcmp/     experiments/ and plots/ (found relative to the binary)
#   P/share/man/, P/share/bash-completion/   man pages and completion
set(SC_LIBEXEC ${CMAKE_INSTALL_LIBEXECDIR}/sockcmp)
set(SC_USER_PROGRAMS sockcmp stream-send stream-recv datagram-send datagram-recv)

install(TARGETS ${SC_USER_PROGRAMS} sc-guest-init RUNTIME DESTINATION ${SC_LIBEXEC})
install(TARGETS sc-umlshim LIBRARY DESTINATION ${SC_LIBEXEC})
foreach(prog ${SC_USER_PROGRAMS})
  file(RELATIVE_PATH rel /x/${CMAKE_INSTALL_BINDIR} /x/${SC_LIBEXEC}/${prog})
  install(CODE "
    set(link \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${prog}\")
    file(MAKE_DIRECTORY \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}\")
    file(REMOVE \"\${link}\")
    file(CREATE_LINK \"${rel}\" \"\${link}\" SYMBOLIC)
    message(STATUS \"Installing: \${link} -> ${rel}\")")
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/experiments ${PROJECT_SOURCE_DIR}/plots
  DESTINATION ${CMAKE_INSTALL_DATADIR}/sockcmp)
# Man pages: man/CMakeLists.txt (when scdoc is found). Bash completion, found
# by bash-completion's loader under the command's name.
# The loader looks a command's completion up by its name: one copy per name.
foreach(prog ${SC_USER_PROGRAMS})
  install(FILES ${PROJECT_SOURCE_DIR}/completion/sockcmp.bash
    DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME ${prog})
endforeach()

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME sockcmp)
set(CPACK_PACKAGE_CONTACT "sockcmp developers <sockcmp@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "measure how stream and datagram sockets really behave")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, zlib1g, gnuplot-nox | gnuplot, iproute2")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "user-mode-linux, fonts-dejavu-core, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)
