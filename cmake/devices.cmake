# cmake/devices.cmake: how a device library is built (docs/device.md): the
# Verilator and compiler settings every device shares, vmsim's own MMU per
# XLEN and flavour. Included by CMakeLists.txt. `--config` keys its cache of
# built devices on this file's contents (testbench/app/config_device.cpp):
# a change here is a change to every device.
# VMSIM_PREBUILT_DEVICES=DIR: load the devices another build of this same
# source made, and build none (make asan-quick: vmsim's C++ under the
# sanitizers, the Verilated code built once, by the Release build).
set(VMSIM_PREBUILT_DEVICES "" CACHE PATH "Load devices from this directory instead of building them")
if(VMSIM_PREBUILT_DEVICES)
  set(VMSIM_DEVICE_DIR ${VMSIM_PREBUILT_DEVICES})
else()
  set(VMSIM_DEVICE_DIR ${CMAKE_BINARY_DIR}/devices)
endif()
file(STRINGS rtl/mmu.f VMSIM_RTL_FILES)
list(TRANSFORM VMSIM_RTL_FILES PREPEND ${CMAKE_SOURCE_DIR}/)

# The code every device library shares: its part of the software, PIC.
add_library(vmsim_device_support STATIC sw/types.cpp model/devices/rtl_messages.cpp)
target_include_directories(vmsim_device_support PUBLIC ${CMAKE_SOURCE_DIR})
set_target_properties(vmsim_device_support PROPERTIES POSITION_INDEPENDENT_CODE ON
  CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
target_link_libraries(vmsim_device_support PUBLIC fmt::fmt PRIVATE vmsim_warnings)

# A device library named `name` from a Verilated top (PREFIX, TOP, SOURCES,
# VARGS) and an entry file (ENTRY); ASSERT, TRACE, COVERAGE pick the build.
function(vmsim_add_device name)
  cmake_parse_arguments(ARG "ASSERT;TRACE;COVERAGE" "PREFIX;TOP;ENTRY" "SOURCES;VARGS;DEFS;EXTRA" ${ARGN})
  if(VMSIM_PREBUILT_DEVICES)
    add_custom_target(${name})  # lib${name}.so is in VMSIM_PREBUILT_DEVICES already
    return()
  endif()
  add_library(${name} MODULE ${ARG_ENTRY} ${ARG_EXTRA})
  set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${VMSIM_DEVICE_DIR}
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE vmsim_device_support -Wl,--exclude-libs,ALL)
  # Everything the model and Verilator's runtime print goes through
  # vmsim_vl_printf (stderr, and kept for the driver's error reports).
  target_compile_options(${name} PRIVATE -include ${PROJECT_SOURCE_DIR}/model/devices/rtl_messages.h)
  target_compile_definitions(${name} PRIVATE ${ARG_DEFS})
  set(vargs --x-assign fast --x-initial fast --no-timing -O3 -I${PROJECT_SOURCE_DIR}/rtl ${ARG_VARGS})
  set(flags "")
  if(ARG_ASSERT)
    list(APPEND vargs --assert -DVMSIM_ASSERT)
    target_compile_definitions(${name} PRIVATE VMSIM_ASSERT)
  else()
    list(APPEND vargs --noassert)
  endif()
  if(ARG_TRACE)
    # Every TLB entry's fields as signals of their own (vpn_q[0] ...), for
    # arrays up to 8192 entries (Verilator's default traces 32 at most).
    list(APPEND vargs --trace-max-array 8192)
    list(APPEND flags TRACE_FST)
    target_compile_definitions(${name} PRIVATE VMSIM_TRACE)
  endif()
  if(ARG_COVERAGE)
    list(APPEND flags COVERAGE)
    target_compile_definitions(${name} PRIVATE VMSIM_COVERAGE)
  endif()
  verilate(${name} ${flags} TOP_MODULE ${ARG_TOP} PREFIX ${ARG_PREFIX} SOURCES ${ARG_SOURCES} VERILATOR_ARGS ${vargs})
endfunction()

# vmsim's own MMU: libvmsim_mmu{64,32}[_assert|_trace].so. The assertion
# build also makes a few registers writable, for fault injection.
function(vmsim_add_mmu_devices suffix)
  foreach(xlen 64 32)
    set(prefix Vmmu_top)
    if(xlen EQUAL 32)
      set(prefix Vmmu_top32)
    endif()
    set(vargs ${VMSIM_TLB_VARGS} -GXlen=${xlen})
    if(ARGN MATCHES "ASSERT")
      list(APPEND vargs ${PROJECT_SOURCE_DIR}/rtl/fault_injection.vlt)
    endif()
    vmsim_add_device(vmsim_mmu${xlen}${suffix} ${ARGN} PREFIX ${prefix} TOP mmu_top SOURCES ${VMSIM_RTL_FILES}
      VARGS ${vargs} DEFS VMSIM_MMU_TOP=${prefix}
      ENTRY ${PROJECT_SOURCE_DIR}/model/devices/vmsim_mmu_device.cpp
      EXTRA ${PROJECT_SOURCE_DIR}/model/devices/hw_contract.cpp)
    list(APPEND targets vmsim_mmu${xlen}${suffix})
  endforeach()
  set(VMSIM_MMU_DEVICES${suffix} ${targets} PARENT_SCOPE)
endfunction()
