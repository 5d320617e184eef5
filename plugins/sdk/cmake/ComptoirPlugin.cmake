# comptoir_add_plugin(NAME SOURCES... [OUTPUT_DIRECTORY DIR])
#
# Builds a Comptoir plugin: a MODULE library named NAME.so (no "lib" prefix), with hidden
# visibility, exporting only comptoir_plugin_entry (version script), marked never to be
# unloaded (-z nodelete), linked against the SDK headers only.
# Used for the plugins shipped with Comptoir and, through find_package(comptoir_sdk), by
# partner developers building out of tree.
set(COMPTOIR_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/plugin.map CACHE INTERNAL "")

function(comptoir_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY" "SOURCES" ${ARGN})
  set(sources ${ARG_SOURCES} ${ARG_UNPARSED_ARGUMENTS})
  add_library(${name} MODULE ${sources})
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    CXX_VISIBILITY_PRESET hidden
    C_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS ${COMPTOIR_PLUGIN_VERSION_SCRIPT})
  if(ARG_OUTPUT_DIRECTORY)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${ARG_OUTPUT_DIRECTORY})
  endif()
  target_compile_features(${name} PRIVATE cxx_std_20)
  target_link_libraries(${name} PRIVATE comptoir::plugin_sdk)
  target_link_options(${name} PRIVATE
    "LINKER:--version-script=${COMPTOIR_PLUGIN_VERSION_SCRIPT}"
    "LINKER:-z,nodelete"
    "LINKER:--no-undefined")
endfunction()
