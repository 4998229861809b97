# Installation: headers, the SDK's static libraries and a CMake package so that
#   find_package(litellm CONFIG REQUIRED)  +  target_link_libraries(app litellm::litellm)
# works for a consumer.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(_litellm_install_targets litellm_boost)
foreach(t litellm litellm_sdk litellm_router litellm_providers litellm_http litellm_http_parse litellm_sse litellm_core)
  if(TARGET ${t})
    list(APPEND _litellm_install_targets ${t})
  endif()
endforeach()

install(DIRECTORY include/litellm DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ${_litellm_install_targets}
        EXPORT litellmTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT litellmTargets NAMESPACE litellm:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/litellm)
configure_package_config_file(cmake/litellmConfig.cmake.in
  ${PROJECT_BINARY_DIR}/litellmConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/litellm)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/litellmConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/litellmConfig.cmake ${PROJECT_BINARY_DIR}/litellmConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/litellm)
