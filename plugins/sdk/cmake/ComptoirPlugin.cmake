# comptoir_add_plugin(NAME SOURCES... [OUTPUT_DIRECTORY DIR] [TEMPLATES FILES...]
#                     [INSTALL_DIRECTORY DIR])
#
# Builds a Comptoir plugin: a MODULE library named NAME.so (no "lib" prefix), with hidden
# visibility, exporting only comptoir_plugin_entry (version script), marked never to be
# unloaded (-z nodelete), linked against the SDK headers only.
#
# TEMPLATES: the plugin's letter templates (ID.lettre, ID.fiche). They are copied beside the
# module, into <folder of NAME.so>/templates/NAME/, at each build, so that a configuration with
# `plugins.dir` = the build folder finds both; `cmake --install` puts them where the host looks
# for them, <plugins.dir>/templates/NAME/, beside the module.
#
# INSTALL_DIRECTORY: where `cmake --install` puts NAME.so and its templates (a folder relative
# to the install prefix, or absolute). Without it, the plugin is not installed; with the SDK
# found by find_package(comptoir_sdk), COMPTOIR_PLUGINS_INSTALL_DIR is the folder of the
# Comptoir the SDK came with.
#
# Used for the plugins shipped with Comptoir and, through find_package(comptoir_sdk), by
# partner developers building out of tree.
set(COMPTOIR_PLUGIN_VERSION_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/plugin.map CACHE INTERNAL "")

function(comptoir_add_plugin name)
  cmake_parse_arguments(ARG "" "OUTPUT_DIRECTORY;INSTALL_DIRECTORY" "SOURCES;TEMPLATES" ${ARGN})
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

  set(templates)
  foreach(template IN LISTS ARG_TEMPLATES)
    get_filename_component(template ${template} ABSOLUTE)
    if(NOT EXISTS ${template})
      message(FATAL_ERROR "comptoir_add_plugin(${name}): no template ${template}")
    endif()
    list(APPEND templates ${template})
  endforeach()
  if(templates)
    # Beside the module in the build tree, refreshed when a template changes.
    add_custom_command(TARGET ${name} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E make_directory $<TARGET_FILE_DIR:${name}>/templates/${name}
      COMMAND ${CMAKE_COMMAND} -E copy_if_different ${templates} $<TARGET_FILE_DIR:${name}>/templates/${name}/
      VERBATIM)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${templates})
  endif()
  if(ARG_INSTALL_DIRECTORY)
    install(TARGETS ${name} LIBRARY DESTINATION ${ARG_INSTALL_DIRECTORY})
    if(templates)
      install(FILES ${templates} DESTINATION ${ARG_INSTALL_DIRECTORY}/templates/${name})
    endif()
  endif()
endfunction()
