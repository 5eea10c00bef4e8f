// verilated_names.h: the names Verilator gives a model's classes and headers,
// built from its prefix (a compile definition), for code compiled once per
// Verilated build.
#pragma once

#define VMSIM_CAT2(a, b) a##b
#define VMSIM_CAT(a, b) VMSIM_CAT2(a, b)
#define VMSIM_STR2(x) #x
#define VMSIM_STR(x) VMSIM_STR2(x)
// The header of class `name`: VMSIM_VERILATED_HEADER(Vmmu_top) is "Vmmu_top.h".
#define VMSIM_VERILATED_HEADER(name) VMSIM_STR(name.h)
