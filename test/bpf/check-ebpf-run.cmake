# End-to-end check of ebpf-run: hexadecimal program on standard input, memory as the first
# argument (r1 = its address, r2 = its length), r0 printed in hexadecimal; errors exit non-zero.
# Usage: cmake -DRUNNER=<ebpf-run> [-DELF_DIR=<clang-built test objects>] -P check-ebpf-run.cmake

function(expect_output program memory flag expected)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/ebpf-run-input.hex "${program}")
  execute_process(COMMAND ${RUNNER} ${flag} ${memory}
                  INPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/ebpf-run-input.hex
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT rc EQUAL 0 OR NOT out STREQUAL "${expected}")
    message(FATAL_ERROR "ebpf-run ${flag} ${memory}: got '${out}' (status ${rc}, ${err}), want '${expected}'")
  endif()
endfunction()

function(expect_failure program memory flag pattern)
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/ebpf-run-input.hex "${program}")
  execute_process(COMMAND ${RUNNER} ${flag} ${memory}
                  INPUT_FILE ${CMAKE_CURRENT_BINARY_DIR}/ebpf-run-input.hex
                  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(rc EQUAL 0 OR NOT err MATCHES "${pattern}")
    message(FATAL_ERROR "ebpf-run ${flag}: expected a failure matching '${pattern}', got status ${rc}: ${err}")
  endif()
endfunction()

foreach(flag --jit --interpret)
  # mov r0, 0x2a ; exit
  expect_output("b7 00 00 00 2a 00 00 00\n95 00 00 00 00 00 00 00" "" ${flag} "2a")
  # r0 = r2 (length) ; r0 += *(u8*)(r1 + 1) ; exit   with memory 01 ff 03
  expect_output("bf 20 00 00 00 00 00 00 71 11 01 00 00 00 00 00 0f 10 00 00 00 00 00 00 95 00 00 00 00 00 00 00"
                "01ff03" ${flag} "102")
  # lddw r0, 0x123456789abcdef0 ; exit
  expect_output("18 00 00 00 f0 de bc 9a 00 00 00 00 78 56 34 12 95 00 00 00 00 00 00 00" ""
                ${flag} "123456789abcdef0")
  # ldxb r0, [r1 + 3] past the end of the 3-byte input
  expect_failure("71 10 03 00 00 00 00 00 95 00 00 00 00 00 00 00" "010203" ${flag}
                 "out-of-bounds read")
  # ja -1: an endless loop stopped by the budget
  expect_failure("05 00 ff ff 00 00 00 00 95 00 00 00 00 00 00 00" "" ${flag} "budget")
  # no exit at the end
  expect_failure("b7 00 00 00 2a 00 00 00" "" ${flag} "fall off the end")
  expect_failure("zz" "" ${flag} "not hexadecimal")
endforeach()

# ELF objects, entry by function or section name.
if(ELF_DIR AND EXISTS ${ELF_DIR}/atomics-v3.o)
  foreach(flag --jit --interpret)
    foreach(entry compare32 test/compare32)
      execute_process(COMMAND ${RUNNER} ${flag} --elf ${ELF_DIR}/atomics-v3.o --function ${entry}
                      OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc
                      OUTPUT_STRIP_TRAILING_WHITESPACE)
      if(NOT rc EQUAL 0 OR NOT out STREQUAL "0")
        message(FATAL_ERROR "ebpf-run --elf atomics-v3.o --function ${entry}: '${out}' ${rc} ${err}")
      endif()
    endforeach()
    execute_process(COMMAND ${RUNNER} ${flag} --elf ${ELF_DIR}/atomics-v3.o --function nosuch
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(rc EQUAL 0 OR NOT err MATCHES "no function or section named 'nosuch'")
      message(FATAL_ERROR "ebpf-run --function nosuch: expected a failure, got ${rc}: ${err}")
    endif()
    # plugin-v1.o calls helpers this runner does not register: a clear load error.
    execute_process(COMMAND ${RUNNER} ${flag} --elf ${ELF_DIR}/plugin-v1.o
                    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(rc EQUAL 0 OR NOT err MATCHES "no helper named 'host_")
      message(FATAL_ERROR "ebpf-run --elf plugin-v1.o: expected a load error, got ${rc}: ${err}")
    endif()
  endforeach()
endif()
