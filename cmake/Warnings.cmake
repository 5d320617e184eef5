# comptoir_warnings(TARGET): the project's warning flags; errors with COMPTOIR_WERROR.
function(comptoir_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    $<$<COMPILE_LANGUAGE:CXX>:-Wnon-virtual-dtor>
    $<$<BOOL:${COMPTOIR_WERROR}>:-Werror>)
endfunction()
