#include "sw/kernel/anon_file_lists.h"

#include <stdexcept>
#include <string>

namespace vmsim {

AnonFileLists::AnonFileLists(std::string_view policy, const PolicyArgs& args, unsigned swappiness)
    : policy_name_(policy), args_(args), swappiness_(swappiness), anon_(make_policy(policy, args)) {
  if (swappiness > 200)
    throw std::invalid_argument("swappiness " + std::to_string(swappiness) + " is out of range (0..200)");
}

ReplacementPolicy& AnonFileLists::list_for_insert(const Page& page) {
  if (!is_file(page)) return *anon_;
  if (!file_) file_ = make_policy(policy_name_, args_);
  return *file_;
}

void AnonFileLists::remove(Page& page) {
  if (!is_file(page)) {
    anon_->remove(page);
  } else if (file_) {
    file_->remove(page);
  }
}

bool AnonFileLists::contains(const Page& page) const {
  if (!is_file(page)) return anon_->contains(page);
  return file_ && file_->contains(page);
}

void AnonFileLists::age(AccessedBits& bits) {
  anon_->age(bits);
  if (file_) file_->age(bits);
}

void AnonFileLists::on_access(Page& page, uint64_t position) {
  if (!is_file(page)) {
    anon_->on_access(page, position);
  } else if (file_) {
    file_->on_access(page, position);
  }
}

bool AnonFileLists::take_anon() {
  const auto anon_weight = static_cast<int64_t>(uint64_t{swappiness_} * anon_->size());
  const auto file_weight = static_cast<int64_t>(uint64_t{200 - swappiness_} * file_->size());
  anon_credit_ += anon_weight;
  file_credit_ += file_weight;
  const bool anon = anon_credit_ >= file_credit_;
  (anon ? anon_credit_ : file_credit_) -= anon_weight + file_weight;
  return anon;
}

Page* AnonFileLists::victim(AccessedBits& bits, bool swap_has_room) {
  if (file_pages() == 0) return anon_->victim(bits);
  if (anon_->size() == 0 || !swap_has_room || swappiness_ == 0) {
    if (Page* p = file_->victim(bits)) return p;
    return anon_->victim(bits);
  }
  ReplacementPolicy& first = take_anon() ? *anon_ : *file_;
  ReplacementPolicy& second = &first == anon_.get() ? *file_ : *anon_;
  if (Page* p = first.victim(bits)) return p;
  return second.victim(bits);
}

}  // namespace vmsim
