#include "testbench/translate_command.h"

#include <fmt/format.h>

#include <fstream>
#include <ostream>
#include <set>

#include "model/host_memory.h"
#include "model/plain_rtl_mmu.h"
#include "testbench/checked_mmu.h"
#include "testbench/text_image.h"

namespace vmsim {

int run_translate(const TranslateOptions& o, std::ostream& out, std::ostream& err) {
  const unsigned word = o.xlen / 8;
  std::ifstream image_in(o.image_path), req_in(o.requests_path);
  if (!image_in) return err << "vmsim: cannot open image '" << o.image_path << "'\n", 2;
  if (!req_in) return err << "vmsim: cannot open requests '" << o.requests_path << "'\n", 2;

  std::optional<ParseError> perr;
  const auto image = parse_image(image_in, o.image_path, word, perr);
  const auto requests = perr ? std::vector<Request>{} : parse_requests(req_in, o.requests_path, word, perr);
  if (perr) return err << "vmsim: " << perr->message << "\n", 2;

  SparseStore store(o.mem_mib << 20);
  HostMemory mem(store);
  std::set<uint64_t> touched;  // words the image or the stream wrote: what --dump-image writes
  for (const ImageWord& w : image) {
    if (!mem.write(PhysAddr{w.addr}, &w.value, word)) {
      err << fmt::format("vmsim: {}:{}: address 0x{:x} is outside the {} MiB physical memory (--mem-size)\n",
                         o.image_path, w.line, w.addr, o.mem_mib);
      return 2;
    }
    touched.insert(w.addr);
  }

  PlainWalkerMemory walker_mem(store, 1);
  RtlMmuCore core(walker_mem, o.xlen, o.trace_path);
  CheckedMmu mmu(core, mem, RtlMmuCore::tlb_entries(), o.xlen);
  mmu.set_control(TranslationControl{o.sum, o.mxr, o.svadu});
  mmu.write_satp(o.satp);
  mmu.sfence(std::nullopt, std::nullopt);

  uint64_t translations = 0, faults = 0;
  for (const Request& q : requests) {
    switch (q.kind) {
      case Request::Kind::kSatp:
        mmu.write_satp(q.a);
        break;
      case Request::Kind::kSfence:
        mmu.sfence(q.has_a ? std::optional<VirtAddr>(VirtAddr{q.a}) : std::nullopt,
                   q.has_b ? std::optional<Asid>(Asid{q.b}) : std::nullopt);
        break;
      case Request::Kind::kMem:
        if (!mem.write(PhysAddr{q.a}, &q.b, word)) {
          err << fmt::format("vmsim: {}:{}: address 0x{:x} is outside physical memory\n", o.requests_path,
                             q.line, q.a);
          return 2;
        }
        touched.insert(q.a);
        break;
      case Request::Kind::kTranslate: {
        const Translation t = mmu.translate(VirtAddr{q.a}, q.access, q.priv);
        ++translations;
        out << fmt::format("0x{:x} {} {} -> ", q.a, to_string(q.access), to_string(q.priv));
        if (t.fault) {
          ++faults;
          out << "fault " << to_string(t.cause);
        } else {
          out << fmt::format("0x{:x}", t.pa.value());
        }
        if (o.verbose) out << (t.tlb_hit ? "  (tlb hit)" : "  (walk)");
        out << "\n";
        break;
      }
    }
  }

  if (!o.dump_image_path.empty()) {
    std::ofstream dump(o.dump_image_path);
    dump << "# physical memory after vmsim translate (Svadu A/D updates included)\n";
    for (uint64_t a : touched) {
      uint64_t v = 0;
      mem.read(PhysAddr{a}, &v, word);
      dump << fmt::format("0x{:x} 0x{:0{}x}\n", a, v, word * 2);
    }
    if (!dump) return err << "vmsim: cannot write '" << o.dump_image_path << "'\n", 1;
  }
  err << fmt::format("vmsim translate: {} translations, {} faults, {} TLB hits, {} checker mismatches\n",
                     translations, faults, core.stats().tlb_hits, mmu.stats().mismatches);
  if (mmu.stats().mismatches) {
    err << mmu.first_mismatch();
    return 1;
  }
  return 0;
}

}  // namespace vmsim
