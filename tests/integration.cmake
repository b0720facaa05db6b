# Integration tests: shell scripts running the real programs (tests/it/).
# Exit 77 means "cannot run here" and is reported by ctest as skipped.
set(SC_IT ${CMAKE_CURRENT_SOURCE_DIR}/it)
function(sc_it name script)
  add_test(NAME it_${name} COMMAND ${SC_IT}/${script} ${ARGN})
  set_tests_properties(it_${name} PROPERTIES LABELS integration SKIP_RETURN_CODE 77 TIMEOUT 300
    ENVIRONMENT "BIN=${CMAKE_BINARY_DIR}/bin;SRC=${PROJECT_SOURCE_DIR}")
endfunction()

sc_it(boundaries boundaries.sh)
sc_it(variants variants.sh)
foreach(t tcp tcp6 udp udp6 unix-stream unix-dgram unix-seqpacket)
  sc_it(programs_${t} programs.sh ${t})
endforeach()
sc_it(ipv6 ipv6.sh)
sc_it(netns netns.sh)
sc_it(bad_input bad_input.sh)
sc_it(netem_grammar netem_grammar.sh)
foreach(c no-listener no-socket-file no-stream-sender no-datagram no-seqpacket-sender
    recv-killed-tcp recv-killed-unix-stream recv-killed-udp recv-killed-unix-dgram
    recv-killed-unix-seqpacket send-killed-udp driver-send-killed driver-recv-killed)
  sc_it(peers_${c} peers.sh ${c})
endforeach()
sc_it(raw raw.sh)
sc_it(foreign foreign.sh)
foreach(what loss dup reorder)
  sc_it(uml_${what} uml.sh ${what})
endforeach()
foreach(c parse tc-line tc-option host-unprivileged neither guest-limit)
  sc_it(link_errors_${c} link_errors.sh ${c})
endforeach()
sc_it(hostile hostile.sh)
sc_it(interrupt interrupt.sh)
sc_it(lecture lecture.sh)
