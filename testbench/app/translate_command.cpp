// translate_command.cpp: `vmsim translate`, checking your own page tables.
//
// Loads a physical-memory image, then runs each request through the RTL MMU
// (the plain machine), in order, with the checker comparing every answer
// against the reference model. Prints one line per translation:
//   0x1000 r u -> 0x80001000
//   0x2000 w s -> fault store_page_fault
// With --explain, each line is followed by the reference walk told level by
// level (testbench/check/walk_explanation.h).
// Exit status: 0 all agreed, 1 a checker mismatch or an I/O failure, 2
// malformed input.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <unordered_set>

#include "model/device_library.h"
#include "testbench/app/commands.h"
#include "testbench/app/option_checks.h"
#include "testbench/check/walk_explanation.h"
#include "testbench/formats/text_image.h"
#include "testbench/harness/plain_machine.h"

namespace vmsim {

namespace {

struct TranslateOptions {
  std::string image_path, requests_path, satp_text;
  uint64_t satp = 0;
  unsigned xlen = 64;
  bool svadu = false, sum = false, mxr = false;
  std::string dump_image_path;
  std::string trace_path;
  uint64_t mem_mib = 4096;
  bool verbose = false;  // add "(tlb hit)" / "(walk)" to each line
  bool explain = false;  // the reference walk, level by level, after each line
  std::string device;    // a device library; empty: vmsim's own MMU
  std::string config;    // --config: vmsim's MMU in a named configuration
  DriverOptions driver;
};

// The image, written into memory; false (after the message) when a word is outside it.
bool load_image(const TranslateOptions& o, const std::vector<ImageWord>& image, PhysMemory& mem,
                std::set<uint64_t>& touched) {
  for (const ImageWord& w : image) {
    if (!mem.write(PhysAddr{w.addr}, &w.value, o.xlen / 8)) {
      std::cerr << fmt::format(
          "vmsim: {}:{}: address 0x{:x} is outside the {} MiB physical memory (--mem-size)\n", o.image_path,
          w.line, w.addr, o.mem_mib);
      return false;
    }
    touched.insert(w.addr);
  }
  return true;
}

struct Tally {
  uint64_t translations = 0, faults = 0;
  uint64_t satp = 0;  // as the requests have left it
};

// One request (checked before the run: it cannot fail).
void serve(const TranslateOptions& o, const Request& q, PlainMachine& m, std::set<uint64_t>& touched,
           Tally& n, TranslationControl& ctl) {
  switch (q.kind) {
    case Request::Kind::kControl:
      ctl.sum = q.sum.value_or(ctl.sum);
      ctl.mxr = q.mxr.value_or(ctl.mxr);
      ctl.svadu = q.svadu.value_or(ctl.svadu);
      m.mmu.set_control(ctl);
      return;
    case Request::Kind::kSatp:
      m.mmu.write_satp(q.a);
      n.satp = q.a;
      return;
    case Request::Kind::kSfence:
      m.mmu.sfence(q.has_a ? std::optional<VirtAddr>(VirtAddr{q.a}) : std::nullopt,
                   q.has_b ? std::optional<Asid>(Asid{q.b}) : std::nullopt);
      return;
    case Request::Kind::kMem:  // inside memory: check_requests made sure before the run
      m.mem.write(PhysAddr{q.a}, &q.b, o.xlen / 8);
      touched.insert(q.a);
      return;
    case Request::Kind::kTranslate:
      break;
  }
  // The reference walk reads memory as it is before the MMU's own walk (whose
  // Svadu A/D write it would otherwise see).
  std::vector<std::string> explanation;
  if (o.explain) {
    const RefResult ref =
        SpecWalk(m.mem, m.core.features()).translate(n.satp, ctl, VirtAddr{q.a}, q.access, q.priv);
    explanation = explain_walk(ref, n.satp, o.xlen, VirtAddr{q.a}, q.access, q.priv, ctl);
  }
  const Translation t = m.mmu.translate(VirtAddr{q.a}, q.access, q.priv);
  ++n.translations;
  std::cout << fmt::format("0x{:x} {} {} -> ", q.a, to_string(q.access), to_string(q.priv));
  if (t.fault) {
    ++n.faults;
    std::cout << "fault " << to_string(t.cause);
  } else {
    std::cout << fmt::format("0x{:x}", t.pa.value());
  }
  if (o.verbose) std::cout << (t.tlb_hit ? "  (tlb hit)" : "  (walk)");
  std::cout << "\n";
  if (o.explain && t.tlb_hit)
    std::cout << "  (the MMU answered from its TLB; the walk below is what memory says now)\n";
  for (const std::string& line : explanation) std::cout << line << "\n";
}

// Writes the image to `dump` (opened before the run, so a bad path is known
// at once); false (after the message) when a write fails, a full disk too.
bool dump_image(const TranslateOptions& o, std::ofstream& dump, PhysMemory& mem,
                const std::set<uint64_t>& touched) {
  const unsigned word = o.xlen / 8;
  dump << "# physical memory after vmsim translate (Svadu A/D updates included)\n";
  for (uint64_t a : touched) {
    uint64_t v = 0;
    mem.read(PhysAddr{a}, &v, word);
    dump << fmt::format("0x{:x} 0x{:0{}x}\n", a, v, word * 2);
  }
  dump.close();  // flushes: a full disk shows here
  if (dump.fail()) std::cerr << "vmsim: --dump-image: writing '" << o.dump_image_path << "' failed\n";
  return !dump.fail();
}

// What the requests ask that this run cannot do, found before anything is
// translated: a satp wider than RV32's (with --xlen 32), a mem line outside
// memory. The message, or nothing.
// The most distinct 4 KiB frames an image and its mem lines may write: each
// costs a host page, so 15 MB of image lines could otherwise ask for 4 GB.
constexpr uint64_t kMaxImageFrames = uint64_t{1} << 18;  // 1 GiB of host memory

std::optional<std::string> check_footprint(const TranslateOptions& o, const std::vector<ImageWord>& image,
                                           const std::vector<Request>& requests) {
  std::unordered_set<uint64_t> frames;
  for (const ImageWord& w : image) frames.insert(w.addr / kPageSize);
  for (const Request& q : requests) {
    if (q.kind == Request::Kind::kMem) frames.insert(q.a / kPageSize);
  }
  if (frames.size() <= kMaxImageFrames) return std::nullopt;
  return fmt::format(
      "{}: the image and mem lines write {} distinct 4 KiB frames, {} MiB of host memory; at most {} frames "
      "({} MiB; kMaxImageFrames in testbench/app/translate_command.cpp)",
      o.image_path, frames.size(), frames.size() * kPageSize >> 20, kMaxImageFrames,
      kMaxImageFrames * kPageSize >> 20);
}

std::optional<std::string> check_requests(const TranslateOptions& o, uint64_t satp,
                                          const std::vector<Request>& requests) {
  if (o.xlen == 32 && satp >> 32) {
    return fmt::format("--satp {}: wider than RV32's 32-bit satp (--xlen 32)", o.satp_text);
  }
  const uint64_t mem_bytes = o.mem_mib << 20;
  for (const Request& q : requests) {
    if (q.kind == Request::Kind::kSatp && o.xlen == 32 && q.a >> 32) {
      return fmt::format("{}:{}: satp 0x{:x} is wider than RV32's 32-bit satp (--xlen 32)", o.requests_path,
                         q.line, q.a);
    }
    if (q.kind == Request::Kind::kMem && (q.a >= mem_bytes || mem_bytes - q.a < o.xlen / 8)) {
      return fmt::format("{}:{}: address 0x{:x} is outside the {} MiB physical memory (--mem-size)",
                         o.requests_path, q.line, q.a, o.mem_mib);
    }
  }
  return std::nullopt;
}

int translate(TranslateOptions& o) {
  const auto satp = parse_hex(o.satp_text);
  if (!satp) return bad_usage("--satp '" + o.satp_text + "' is not a hex number of at most 64 bits");
  if (!o.trace_path.empty() && !RtlMmuCore::tracing_supported()) {
    return bad_usage(
        "--trace needs the tracing build of the MMU: run 'make trace' (cmake -DVMSIM_TRACE=ON) first");
  }
  std::ifstream image_in(o.image_path), req_in(o.requests_path);
  if (!image_in) return bad_usage("cannot open image '" + o.image_path + "'");
  if (!req_in) return bad_usage("cannot open requests '" + o.requests_path + "'");
  std::optional<ParseError> perr;
  const auto image = parse_image(image_in, o.image_path, o.xlen / 8, perr);
  const auto requests =
      perr ? std::vector<Request>{} : parse_requests(req_in, o.requests_path, o.xlen / 8, perr);
  if (perr) return bad_usage(perr->message);
  if (auto bad = check_requests(o, *satp, requests)) return bad_usage(*bad);
  if (auto bad = check_footprint(o, image, requests)) return bad_usage(*bad);
  std::ofstream dump;
  if (!o.dump_image_path.empty()) {
    dump.open(o.dump_image_path);
    if (!dump) return bad_usage("--dump-image: cannot create '" + o.dump_image_path + "'");
  }

  if (const int st = choose_device(o.config, o.device); st >= 0) return st;
  PlainMachine m({o.mem_mib << 20, 1, o.xlen, o.trace_path, o.device, o.driver});
  std::set<uint64_t> touched;  // words the image or the stream wrote: what --dump-image writes
  if (!load_image(o, image, m.mem, touched)) return 2;
  TranslationControl ctl{o.sum, o.mxr, o.svadu};
  m.mmu.set_control(ctl);
  // satp is WARL: the device would ignore a MODE it lacks, and the run
  // would quietly translate in Bare. Say so instead.
  if (const SatpFields f = decode_satp(*satp, o.xlen);
      !f.implemented || !m.core.features().implements(f.mode)) {
    return bad_usage(fmt::format("--satp {}: MODE {} is not implemented by {} (it implements {})",
                                 o.satp_text, *satp >> 60, m.core.info().name,
                                 m.core.features().to_string()));
  }
  m.mmu.write_satp(*satp);
  m.mmu.sfence(std::nullopt, std::nullopt);
  Tally n;
  n.satp = *satp;
  for (const Request& q : requests) {
    serve(o, q, m, touched, n, ctl);
  }
  if (!o.dump_image_path.empty() && !dump_image(o, dump, m.mem, touched)) return 2;
  std::cerr << fmt::format(
      "vmsim translate: {} translations, {} faults, {} TLB hits, {} checker mismatches\n", n.translations,
      n.faults, m.core.stats().tlb_hits, m.mmu.stats().mismatches);
  if (m.mmu.stats().mismatches) {
    std::cerr << m.mmu.first_mismatch();
    return 1;
  }
  return 0;
}

}  // namespace

Command add_translate_command(CLI::App& app) {
  auto o = std::make_shared<TranslateOptions>();
  CLI::App* cmd =
      app.add_subcommand("translate", "translate requests against a physical-memory image, checked");
  cmd->add_option("--image", o->image_path, "memory image: lines 'ADDR VALUE' (hex)")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--satp", o->satp_text, "initial satp (hex)")->required();
  cmd->add_option("--requests", o->requests_path,
                  "requests: 'VA r|w|x u|s', 'satp HEX', 'sfence VA|* ASID|*', 'mem ADDR VALUE'")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--xlen", o->xlen, "32 (Sv32) or 64 (Sv39/48/57)")
      ->check(one_of({"32", "64"}))
      ->capture_default_str();
  cmd->add_flag("--svadu", o->svadu, "hardware A/D updates (Svadu) instead of faults (Svade)");
  cmd->add_flag("--sum", o->sum, "sstatus.SUM: S-mode loads/stores may touch U pages");
  cmd->add_flag("--mxr", o->mxr, "sstatus.MXR: loads may read executable pages");
  cmd->add_option("--dump-image", o->dump_image_path,
                  "write memory (image and stores, A/D updates included) here");
  cmd->add_option("--trace", o->trace_path, "write an FST waveform (tracing build only)");
  cmd->add_option("--mem-size", o->mem_mib, "physical memory in MiB; PTEs above it are access faults")
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24))
      ->capture_default_str();
  cmd->add_flag("-v,--verbose", o->verbose, "also say whether each answer came from the TLB or a walk");
  cmd->add_flag("--explain", o->explain,
                "after each answer, the walk level by level: each PTE's address, its fields, and the checks "
                "that passed or faulted, in the spec's order");
  add_device_options(cmd, o->device, o->driver, o->config);
  return {cmd, [o] { return translate(*o); }};
}

}  // namespace vmsim
