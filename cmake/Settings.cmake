# Per-target INTERFACE targets for warnings and build settings (linked privately).
# Not -Wnull-dereference: with GCC 12 at -O2 it reports std::string internals inlined from
# libstdc++ and CLI11 (basic_string.h:234, istreambuf_iterator), never our code; measured on
# the RelWithDebInfo build CI uses.
add_library(cmtool_warnings INTERFACE)
target_compile_options(cmtool_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Woverloaded-virtual -Wdouble-promotion
  -Wformat=2 -Wimplicit-fallthrough -Wmisleading-indentation -Wduplicated-cond
  -Wlogical-op)
if(CMTOOL_WERROR)
  target_compile_options(cmtool_warnings INTERFACE -Werror)
endif()

add_library(cmtool_settings INTERFACE)
if(CMTOOL_SANITIZE)
  target_compile_options(cmtool_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(cmtool_settings INTERFACE -fsanitize=address,undefined)
endif()
