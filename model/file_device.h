// file_device.h: the disk holding the guest's files, as a SystemC/TLM-2.0
// target, and the kernel's FileBackend over an initiator socket.
//
// Address = file x 2^40 + page x 4096; each transaction moves one whole page
// of one file and is annotated with the configured per-page latency. Partial
// pages, pages past a file's end, unknown files and failed writes get TLM
// error responses. File metadata (create, names and sizes) is not page data:
// TlmFileBackend asks the store for it directly, as a kernel keeps its
// inodes in memory.
#pragma once

#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include <systemc>
#include <tlm>

#include "model/file_store.h"

namespace vmsim {

class FileDevice : public sc_core::sc_module {
 public:
  tlm_utils::simple_target_socket<FileDevice> socket;

  FileDevice(sc_core::sc_module_name name, sc_core::sc_time page_latency);
  FileStore& store() { return store_; }

 private:
  void b_transport(tlm::tlm_generic_payload& trans, sc_core::sc_time& delay);

  FileStore store_;
  sc_core::sc_time latency_;
};

class TlmFileBackend : public sc_core::sc_module, public FileBackend {
 public:
  tlm_utils::simple_initiator_socket<TlmFileBackend> socket;

  TlmFileBackend(sc_core::sc_module_name name, FileStore& catalogue, sc_core::sc_time clock_period);

  std::optional<FileId> create(const std::string& name, uint64_t bytes, uint64_t seed) override {
    return catalogue_.create(name, bytes, seed);
  }
  bool exists(FileId f) const override { return catalogue_.exists(f); }
  uint64_t size(FileId f) const override { return catalogue_.size(f); }
  std::string name(FileId f) const override { return catalogue_.name(f); }
  bool read_page(FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles) override;
  bool write_page(FileId f, uint64_t index, const uint8_t* page, uint64_t& latency_cycles) override;

 private:
  bool transfer(tlm::tlm_command cmd, FileId f, uint64_t index, uint8_t* page, uint64_t& latency_cycles);

  FileStore& catalogue_;
  sc_core::sc_time period_;
};

}  // namespace vmsim
