# Helpers shared by every module: one warning set, one sanitizer switch, one
# way to add a library and a test.

set(DETENTE_WARNINGS
    -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
    -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual -Wnull-dereference
    -Wimplicit-fallthrough -Wformat=2)
if(DETENTE_WERROR)
  list(APPEND DETENTE_WARNINGS -Werror)
endif()

if(DETENTE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# detente_library(NAME SOURCES... DEPS ...): a module library with the
# project's warnings, includes rooted at the repository.
function(detente_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_compile_options(${name} PRIVATE ${DETENTE_WARNINGS})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# detente_test(NAME SOURCES... DEPS ...): a GoogleTest binary registered with
# ctest, run from the repository root so that data/ and ../shared/vectors
# resolve as they do for a user.
function(detente_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_compile_options(${name} PRIVATE ${DETENTE_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock
                                        GTest::gtest_main)
  target_compile_definitions(${name} PRIVATE
    DETENTE_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DETENTE_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       DISCOVERY_TIMEOUT 60)
endfunction()

include(GoogleTest)
