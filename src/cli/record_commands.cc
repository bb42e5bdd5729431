// `isoloir record export` (the election record from the stores) and
// `isoloir verify` (the auditor's check of a record). docs/record.md.

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/data_options.h"
#include "cli/record_source.h"
#include "cli/progress.h"
#include "election/election_file.h"
#include "record/export.h"
#include "record/verifier.h"

namespace isoloir::cli {
namespace {

namespace fs = std::filesystem;

struct ExportCommand {
  DataOptions data;
  std::string election, out;
  std::vector<std::string> results;
  bool closed = false;
};

// A count document, or the results file of a count (every scrutin's).
Result<std::vector<record::CountDocument>> ReadCounts(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError("cli.file", "cannot read " + file);
  std::stringstream text;
  text << in.rdbuf();
  auto j = crypto::codec::ParseJson(text.str());
  if (!j) return MakeError(j.error().code, file + ": " + j.error().message);
  if (j->is_object() && j->value("format", "") == record::kResultsFormat) {
    auto docs = record::CountDocumentsOfResults(*j);
    if (!docs) return MakeError(docs.error().code, file + ": " + docs.error().message);
    return docs;
  }
  auto doc = record::ParseCountDocument(*j);
  if (!doc) return MakeError(doc.error().code, file + ": " + doc.error().message);
  return std::vector<record::CountDocument>{std::move(*doc)};
}

int RunExport(const ExportCommand& o) {
  auto config = MakeStoreConfig(o.data);
  if (!config) return PrintError(config.error()), kExitUsage;
  record::ExportOptions options;
  for (const auto& f : o.results) {
    auto docs = ReadCounts(f);
    if (!docs) return PrintError(docs.error()), kExitUsage;
    for (auto& d : *docs) options.counts.push_back(std::move(d));
  }
  auto stores = store::OpenStores(*config);
  if (!stores) return PrintError(stores.error()), kExitFailure;
  // The closing state goes in once the voting window is over (or when asked).
  auto e = stores->roll->GetElection(o.election);
  if (e.ok() && *e) {
    auto parsed = election::ParseElectionFile((*e)->definition);
    const int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (parsed && now >= parsed->window.closing.utc) options.closing = true;
  }
  options.closing = options.closing || o.closed;
  const fs::path tmp = o.out + ".part";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) return PrintError(MakeError("cli.file", "cannot write " + tmp.string())), kExitUsage;
  auto sink = [&out](std::string_view line) -> Status {
    out << line << '\n';
    if (!out) return MakeError("cli.write", "cannot write the record (disk full?)");
    return Status::Ok();
  };
  record::ExportSources sources{*stores->roll, *stores->portal, *stores->urne, *stores->emargement,
                                stores->audit.get()};
  auto summary = record::ExportRecord(sources, o.election, options, sink);
  out.close();
  if (!summary || !out) {
    fs::remove(tmp);
    PrintError(summary ? MakeError("cli.write", "cannot write " + tmp.string()) : summary.error());
    return kExitFailure;
  }
  fs::rename(tmp, o.out);
  std::cout << "isoloir: record of " << o.election << " written to " << o.out << ": "
            << summary->entries << " entries, " << summary->ballots << " ballots"
            << (options.closing ? ", closing state" : "") << ", " << options.counts.size()
            << " count(s)\n"
            << "isoloir: head hash " << HexEncode(summary->head) << "\n";
  return kExitOk;
}

struct VerifyCommand {
  std::string file;
  std::string url;
  std::string lang = "fr";
  std::string head;
  std::string save_report;  // --save-report: kept for the portal's /verification page
  unsigned threads = 0;
  bool json = false;
  bool quiet = false;
};

Result<size_t> CountLines(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return MakeError("cli.file", "cannot read " + file);
  std::vector<char> buf(1 << 20);
  size_t lines = 0;
  while (in.read(buf.data(), static_cast<std::streamsize>(buf.size())) || in.gcount() > 0) {
    lines += static_cast<size_t>(std::count(buf.data(), buf.data() + in.gcount(), '\n'));
  }
  return lines;
}

int RunVerifyFile(const VerifyCommand& o);

// FILE, or --url: the record the portal serves, fetched into a temporary file.
int RunVerify(const VerifyCommand& o) {
  auto source = RecordSource::Open(o.file, o.url, o.quiet);
  if (!source) return PrintError(source.error()), kExitUsage;
  VerifyCommand local = o;
  local.file = source->path();
  return RunVerifyFile(local);
}

int RunVerifyFile(const VerifyCommand& o) {
  auto total = CountLines(o.file);
  if (!total) return PrintError(total.error()), kExitUsage;
  std::ifstream in(o.file, std::ios::binary);
  std::optional<Progress> progress;
  if (!o.quiet && *total > 2000) progress.emplace("isoloir verify", *total);
  record::VerifyOptions options;
  options.threads = o.threads;
  options.expected_head = o.head;
  if (progress) options.progress = [&](uint64_t done) { progress->Update(done); };
  record::RecordVerifier verifier(options);
  constexpr size_t kBatch = 512;
  std::vector<std::string> batch;
  std::string line;
  while (std::getline(in, line)) {
    batch.push_back(std::move(line));
    if (batch.size() == kBatch) {
      verifier.AddLines(batch);
      batch.clear();
    }
  }
  verifier.AddLines(batch);
  record::Report report = verifier.Finish();
  if (progress) progress->Finish();
  if (o.json) {
    std::cout << record::ReportJson(report).dump(2) << "\n";
  } else {
    std::cout << record::ReportText(
        report, o.lang == "en" ? record::Language::kEnglish : record::Language::kFrench);
  }
  if (!o.save_report.empty()) {
    const std::string tmp = o.save_report + ".part";
    std::error_code made;
    if (fs::path(o.save_report).has_parent_path()) {
      fs::create_directories(fs::path(o.save_report).parent_path(), made);
    }
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << record::SavedReportJson(report, static_cast<int64_t>(std::time(nullptr)),
                                   o.url.empty() ? o.file : o.url)
               .dump(2)
        << "\n";
    std::error_code ec;
    if (out.flush(), !out.good()) ec = std::make_error_code(std::errc::io_error);
    out.close();
    if (!ec) fs::rename(tmp, o.save_report, ec);
    if (ec) {
      PrintError(MakeError("cli.file", "cannot write the report to " + o.save_report));
      return kExitUsage;
    }
  }
  return report.ok() ? kExitOk : kExitFailure;
}

}  // namespace

void AddRecordCommands(CLI::App& app, int& exit_code) {
  static ExportCommand ex;
  auto* rec = app.add_subcommand("record", "the public election record (docs/record.md)");
  rec->require_subcommand(1);
  auto* exp = rec->add_subcommand(
      "export",
      "write the election's record (record.jsonl) from the stores: election, "
      "ceremony, credential lists, ballots by tracker, closing state and counts");
  exp->add_option("--election", ex.election, "election id")->required();
  exp->add_option("--out", ex.out, "the record file to write (record.jsonl)")->required();
  exp->add_option("--results", ex.results,
                  "the count's results file (isoloir/results/v1, as `tally combine` and the "
                  "portal's count write it), or count documents (isoloir/count/v1)");
  exp->add_flag("--closed", ex.closed,
                "write the closing state even before the end of the voting window");
  AddDataOptions(exp, ex.data);
  exp->callback([&exit_code] { exit_code = RunExport(ex); });

  static VerifyCommand v;
  auto* ver = app.add_subcommand(
      "verify",
      "check an election record: chain, election, ceremony, every ballot, tally, "
      "decryptions, results and seats; exits 1 if anything fails");
  ver->add_option("FILE", v.file, "the record (record.jsonl)");
  ver->add_option("--url", v.url,
                  "fetch the record a portal serves instead (http://127.0.0.1:PORT, which "
                  "serves /record.jsonl)");
  ver->add_flag("--json", v.json, "print the report as JSON (isoloir/verify-report/v1)");
  ver->add_option("--save-report", v.save_report,
                  "also write the report, dated, to this file (isoloir/verification/v1), "
                  "which `isoloir serve --verification-report` shows on /verification");
  ver->add_option("--lang", v.lang, "language of the report: fr or en")
      ->check(CLI::IsMember({"fr", "en"}))
      ->capture_default_str();
  ver->add_option("--head", v.head, "the head hash the BVE published, to compare (64 hex)");
  ver->add_option("--threads", v.threads, "threads for the ballots (default: one per core)");
  ver->add_flag("--quiet", v.quiet, "no progress bar");
  ver->callback([&exit_code] { exit_code = RunVerify(v); });
}

}  // namespace isoloir::cli
