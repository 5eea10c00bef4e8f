// student_policy.cpp: your page-replacement policy (lab 3; the handout is
// docs/labs/3-replacement.md). It plugs into vmsim's kernel through the
// policy interface of sw/policy/replacement_policy.h, under the name
// "student":
//
//   make lab3        # builds this file into the grader and prints your score
//
// The kernel calls insert() when a page becomes resident, remove() when it
// stops being resident, and victim() when it needs a frame: return one of
// the pages you hold (the kernel removes it itself), or nullptr only when you
// hold none. What you may know of use is the hardware Accessed bit, through
// bits.test_and_clear(page) (true when the page was referenced since the
// last call; clearing costs a TLB fence, which the kernel counts), and, if
// you ask for it with aging_period(), a call of age() every that many guest
// accesses. sw/policy/clock.cpp is a complete policy to read first;
// sw/policy/page_records.h keeps a record per page for you.
#include "sw/policy/page_records.h"
#include "sw/policy/replacement_policy.h"

namespace vmsim {
namespace {

class StudentPolicy final : public ReplacementPolicy {
 public:
  explicit StudentPolicy(const PolicyArgs&) {}
  std::string_view name() const override { return "student"; }
  void insert(Page& page) override { (void)page; }
  void remove(Page& page) override { (void)page; }
  Page* victim(AccessedBits& bits) override {
    (void)bits;
    return nullptr;
  }
  size_t size() const override { return 0; }
  bool contains(const Page& page) const override {
    (void)page;
    return false;
  }
};

}  // namespace

VMSIM_REGISTER_POLICY(StudentPolicy, "student", "lab 3: your policy");

}  // namespace vmsim
