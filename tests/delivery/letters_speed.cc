// Measures LetterBatchWriter throughput: N letters (default 10000) in files
// of 1000, into a temporary folder removed afterwards, or into OUT_DIR (kept,
// to look at sample letters). Prints letters/second.
//   ninja -C build-delivery delivery_letters_speed
//   build-delivery/tests/delivery/delivery_letters_speed [N [OUT_DIR]]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "delivery/letter_writer.h"

using namespace isoloir::delivery;

int main(int argc, char** argv) {
  int n = argc > 1 ? std::atoi(argv[1]) : 10000;
  const bool keep = argc > 2;
  std::string tmpl = (std::filesystem::temp_directory_path() / "isoloir-letters-XXXXXX").string();
  if (!keep && !::mkdtemp(tmpl.data())) return 1;
  const std::filesystem::path dir =
      keep ? std::filesystem::path(argv[2]) : std::filesystem::path(tmpl);
  static const char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  auto start = std::chrono::steady_clock::now();
  auto writer = LetterBatchWriter::Open({.directory = dir});
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().ToString().c_str());
    return 1;
  }
  CredentialNotice notice;
  notice.election = {"Élections professionnelles 2026",
                     "Ministère de l'Intérieur et des Outre-mer",
                     "https://elections.example.gouv.fr",
                     "cellule d'assistance : 01 23 45 67 89, assistance@example.gouv.fr",
                     "mardi 1er décembre 2026 à 9 h 00 (heure de Paris)",
                     "jeudi 8 décembre 2026 à 17 h 00 (heure de Paris)"};
  for (int i = 0; i < n; ++i) {
    notice.voter = {"Lefèvre",
                    "Amélie",
                    std::to_string(100000 + i),
                    {"Bureau " + std::to_string(i % 700),
                     std::to_string(i % 97 + 1) + " rue de la Préfecture", "21000 DIJON"},
                    ""};
    notice.secret.assign(20, '0');
    for (int k = 0; k < 20; ++k) notice.secret[k] = kAlphabet[(i * 7 + k * 13 + i / 32) % 32];
    auto r = writer->Add(notice);
    if (!r) {
      std::fprintf(stderr, "%s\n", r.error().ToString().c_str());
      return 1;
    }
  }
  auto files = writer->Finish();
  if (!files) {
    std::fprintf(stderr, "%s\n", files.error().ToString().c_str());
    return 1;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  uintmax_t bytes = 0;
  for (const auto& f : *files) bytes += std::filesystem::file_size(f);
  std::printf("%d letters in %zu files, %.2f s, %.0f letters/s, %.1f KiB per letter\n", n,
              files->size(), s, n / s, bytes / 1024.0 / n);
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
