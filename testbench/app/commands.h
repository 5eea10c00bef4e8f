// commands.h: the subcommands of `vmsim`, one file each.
#pragma once

#include "testbench/app/command.h"

namespace vmsim {

Command add_run_command(CLI::App& app);        // run_command.cpp
Command add_trace_command(CLI::App& app);      // trace_command.cpp
Command add_malloc_command(CLI::App& app);     // malloc_command.cpp
Command add_translate_command(CLI::App& app);  // translate_command.cpp
Command add_random_command(CLI::App& app);     // random_command.cpp
Command add_convert_command(CLI::App& app);    // convert_command.cpp
Command add_record_command(CLI::App& app);     // record_command.cpp
Command add_sweep_command(CLI::App& app);      // sweep_command.cpp
Command add_plot_command(CLI::App& app);       // plot_command.cpp

}  // namespace vmsim
