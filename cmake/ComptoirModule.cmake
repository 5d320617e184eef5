# comptoir_module(NAME SOURCES...): a static library comptoir_NAME (alias comptoir::NAME) from
# the module's src/, its public headers in include/comptoir/NAME/.
function(comptoir_module name)
  add_library(comptoir_${name} STATIC ${ARGN})
  add_library(comptoir::${name} ALIAS comptoir_${name})
  target_include_directories(comptoir_${name}
    PUBLIC $<BUILD_INTERFACE:${CMAKE_CURRENT_SOURCE_DIR}/include>
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  comptoir_warnings(comptoir_${name})
endfunction()
