// Letters checked with poppler's pdfinfo and pdftotext, as a printer would
// see them.
#include <gtest/gtest.h>
#include <qrencode.h>
#include <sys/stat.h>

#include "delivery/letter_writer.h"
#include "test_util.h"

namespace isoloir::delivery {
namespace {

using test::TempDir;

const char* kKeys[] = {"7K3QDM9XWT2HFRBYP4NA", "ABCDE01234FGHJK56789", "MNPQRSTVWXYZ0123Q4R5"};
const char* kGrouped[] = {"7K3QD-M9XWT-2HFRB-YP4NA", "ABCDE-01234-FGHJK-56789",
                          "MNPQR-STVWX-YZ012-3Q4R5"};

CredentialNotice Notice(int i, Language language = Language::kFrench) {
  CredentialNotice n = test::SampleNotice(kKeys[i % 3], language);
  const char* prenoms[] = {"Amélie", "Éric", "Gaëlle"};
  const char* noms[] = {"Lefèvre", "Nguyễn", "Ferrière-Dubœuf"};
  n.voter.prenom = prenoms[i % 3];
  n.voter.nom = noms[i % 3];
  n.voter.matricule = "M" + std::to_string(100000 + i);
  n.voter.adresse = {"Bureau " + std::to_string(i) + " – Service des élections",
                     std::to_string(10 + i) + " boulevard Saint-Germain", "75007 PARIS"};
  return n;
}

int Pages(const std::filesystem::path& pdf) {
  std::string info = test::Run("pdfinfo '" + pdf.string() + "' 2>/dev/null");
  size_t p = info.find("Pages:");
  return p == std::string::npos ? -1 : std::atoi(info.c_str() + p + 6);
}

// The text of one page, with every run of white space (line breaks,
// non-breaking spaces) made one space: words wrap differently per letter.
// (stderr dropped: poppler warns about libharu 2.3's ToUnicode CMap, see
// docs/delivery.md.)
std::string PageText(const std::filesystem::path& pdf, int page) {
  int status = 0;
  std::string raw = test::Run("pdftotext -enc UTF-8 -f " + std::to_string(page) + " -l " +
                                  std::to_string(page) + " '" + pdf.string() + "' - 2>/dev/null",
                              &status);
  EXPECT_EQ(status, 0);
  std::string text;
  for (size_t i = 0; i < raw.size(); ++i) {
    bool space = raw[i] == ' ' || raw[i] == '\n' || raw[i] == '\f' || raw[i] == '\t';
    if (raw.compare(i, 2, "\u00a0") == 0) space = true, ++i;
    if (space) {
      if (!text.empty() && text.back() != ' ') text += ' ';
    } else {
      text += raw[i];
    }
  }
  return text;
}

TEST(LetterBatchWriter, ThreeLettersReadBackWithPdftotext) {
  TempDir dir;
  Result<LetterBatchWriter> writer = LetterBatchWriter::Open({.directory = dir.path() / "letters"});
  ASSERT_TRUE(writer.ok()) << writer.error().ToString();
  for (int i = 0; i < 3; ++i) {
    Result<LetterLocation> loc = writer->Add(Notice(i));
    ASSERT_TRUE(loc.ok()) << loc.error().ToString();
    EXPECT_EQ(loc->file, dir.path() / "letters" / "batch-0001.pdf");
    EXPECT_EQ(loc->page, static_cast<size_t>(i + 1));
  }
  Result<std::vector<std::filesystem::path>> files = writer->Finish();
  ASSERT_TRUE(files.ok()) << files.error().ToString();
  ASSERT_EQ(files->size(), 1u);
  const std::filesystem::path pdf = files->front();
  EXPECT_EQ(pdf.filename(), "batch-0001.pdf");
  EXPECT_EQ(test::FilesIn(dir.path() / "letters").size(), 1u) << "no temporary file left";
  struct stat st {};
  ASSERT_EQ(::stat(pdf.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "the letters hold security keys";
  EXPECT_EQ(Pages(pdf), 3);
  EXPECT_NE(test::Run("pdfinfo '" + pdf.string() + "'").find("(A4)"), std::string::npos) << "A4";

  for (int i = 0; i < 3; ++i) {
    CredentialNotice n = Notice(i);
    std::string text = PageText(pdf, i + 1);
    for (const std::string& s :
         {n.voter.prenom + " " + n.voter.nom, n.voter.adresse[0], n.voter.adresse[1],
          n.voter.adresse[2], std::string(kGrouped[i]), n.election.portal_url, n.voter.matricule,
          std::string("Matricule"), std::string("Date de naissance"),
          std::string("Code de sécurité"), std::string("Mot de passe"),
          std::string("Ministère de l'Intérieur"), std::string("réassort"),
          std::string("président du bureau de vote électronique")}) {
      EXPECT_NE(text.find(s), std::string::npos) << "page " << i + 1 << " lacks '" << s << "'\n"
                                                 << text;
    }
    // Each page holds its own key only.
    for (int j = 0; j < 3; ++j) {
      if (j != i) {
        EXPECT_EQ(text.find(kGrouped[j]), std::string::npos);
      }
    }
  }
}

// A grey image rendered by pdftoppm (binary PGM).
struct Gray {
  int w = 0, h = 0;
  std::string px;
  bool Dark(int x, int y) const {
    return x >= 0 && y >= 0 && x < w && y < h && static_cast<unsigned char>(px[y * w + x]) < 128;
  }
};

Gray Render(const std::filesystem::path& pdf, int page, const std::filesystem::path& out, int dpi,
            int x, int y, int w, int h) {
  int status = 0;
  test::Run("pdftoppm -gray -r " + std::to_string(dpi) + " -singlefile -f " + std::to_string(page) +
                " -l " + std::to_string(page) + " -x " + std::to_string(x) + " -y " +
                std::to_string(y) + " -W " + std::to_string(w) + " -H " + std::to_string(h) + " '" +
                pdf.string() + "' '" + out.string() + "' 2>/dev/null",
            &status);
  EXPECT_EQ(status, 0);
  std::istringstream in(test::ReadFile(out.string() + ".pgm"));
  std::string magic;
  Gray g;
  int max = 0;
  in >> magic >> g.w >> g.h >> max;
  in.get();
  EXPECT_EQ(magic, "P5");
  g.px.resize(static_cast<size_t>(g.w) * g.h);
  in.read(g.px.data(), static_cast<std::streamsize>(g.px.size()));
  return g;
}

TEST(LetterBatchWriter, QrCodeHasTheModulesOfThePortalUrl) {
  TempDir dir;
  Result<LetterBatchWriter> writer = LetterBatchWriter::Open({.directory = dir.path()});
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(writer->Add(Notice(0)).ok());
  ASSERT_TRUE(writer->Add(Notice(1)).ok());  // page 2 draws it from the shared stream
  Result<std::vector<std::filesystem::path>> files = writer->Finish();
  ASSERT_TRUE(files.ok());
  QRcode* qr = QRcode_encodeString8bit(Notice(0).election.portal_url.c_str(), 0, QR_ECLEVEL_M);
  ASSERT_NE(qr, nullptr);
  for (int page = 1; page <= 2; ++page) {
    // 300 dpi, x 160 to 192 mm, y 100 to 200 mm of the page; the code is
    // 26 mm wide at x = 164 mm.
    const double px_per_mm = 300 / 25.4;
    Gray g = Render(files->front(), page, dir.path() / ("qr" + std::to_string(page)), 300,
                    static_cast<int>(160 * px_per_mm), static_cast<int>(100 * px_per_mm),
                    static_cast<int>(32 * px_per_mm), static_cast<int>(100 * px_per_mm));
    // The top row of the finder pattern: the first long dark run near x = 4 mm.
    const int left_guess = static_cast<int>(4 * px_per_mm);
    int top = -1, left = -1;
    for (int y = 0; y < g.h && top < 0; ++y) {
      for (int x = left_guess - 4; x <= left_guess + 4; ++x) {
        int run = 0;
        while (g.Dark(x + run, y)) ++run;
        if (run > 5 * px_per_mm && !g.Dark(x - 1, y)) {
          top = y, left = x;
          break;
        }
      }
    }
    ASSERT_GE(top, 0) << "no QR code found on page " << page;
    const double module = 26 * px_per_mm / qr->width;
    int wrong = 0;
    for (int r = 0; r < qr->width; ++r) {
      for (int c = 0; c < qr->width; ++c) {
        bool expected = qr->data[r * qr->width + c] & 1;
        bool seen = g.Dark(left + static_cast<int>((c + 0.5) * module),
                           top + static_cast<int>((r + 0.5) * module));
        wrong += expected != seen;
      }
    }
    EXPECT_EQ(wrong, 0) << "modules differing on page " << page;
  }
  QRcode_free(qr);
}

// Dark pixels of the recipient's name line (x 110 to 190 mm, y 49 to 57 mm)
// on page 1, rendered in grey at 200 dpi.
long NameInk(const std::filesystem::path& pdf, const std::filesystem::path& out) {
  Gray g = Render(pdf, 1, out, 200, 866, 386, 630, 63);
  long ink = 0;
  for (int y = 0; y < g.h; ++y) {
    for (int x = 0; x < g.w; ++x) ink += g.Dark(x, y);
  }
  return ink;
}

TEST(LetterBatchWriter, StackedDiacriticsAreDrawn) {
  // libharu 2.3 dropped the parts of nested composite glyphs: "Nguyễn"
  // printed as "Nguyen". The circumflex and the tilde must add ink.
  TempDir dir;
  long ink[2] = {};
  const char* names[2] = {"Nguyen", "Nguyễn"};
  for (int i = 0; i < 2; ++i) {
    CredentialNotice n = Notice(0);
    n.voter.prenom = "Minh";
    n.voter.nom = names[i];
    Result<LetterBatchWriter> writer =
        LetterBatchWriter::Open({.directory = dir.path() / std::to_string(i)});
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->Add(n).ok());
    Result<std::vector<std::filesystem::path>> files = writer->Finish();
    ASSERT_TRUE(files.ok());
    ink[i] = NameInk(files->front(), dir.path() / ("name" + std::to_string(i)));
  }
  EXPECT_GT(ink[0], 500) << "the name is in the window area";
  EXPECT_GT(ink[1], ink[0] + 15) << "diacritics of ễ missing (about +30 when drawn, +0 when lost)";
}

TEST(LetterBatchWriter, SplitsIntoFilesOfNLetters) {
  TempDir dir;
  Result<LetterBatchWriter> writer =
      LetterBatchWriter::Open({.directory = dir.path(), .letters_per_file = 2});
  ASSERT_TRUE(writer.ok());
  std::vector<LetterLocation> locs;
  for (int i = 0; i < 5; ++i) {
    Result<LetterLocation> loc = writer->Add(Notice(i, Language::kEnglish));
    ASSERT_TRUE(loc.ok()) << loc.error().ToString();
    locs.push_back(*loc);
  }
  Result<std::vector<std::filesystem::path>> files = writer->Finish();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 3u);
  EXPECT_EQ((*files)[2].filename(), "batch-0003.pdf");
  EXPECT_EQ(Pages((*files)[0]), 2);
  EXPECT_EQ(Pages((*files)[2]), 1);
  EXPECT_EQ(locs[4].file, (*files)[2]);
  EXPECT_EQ(locs[3].page, 2u);
  std::string text = PageText((*files)[1], 2);  // letter 3
  EXPECT_NE(text.find("Your personal security key"), std::string::npos) << text;
  EXPECT_NE(text.find(kGrouped[0]), std::string::npos) << text;
  EXPECT_NE(text.find("M100003"), std::string::npos);
}

TEST(LetterBatchWriter, RefusedLetterAddsNoPage) {
  TempDir dir;
  Result<LetterBatchWriter> writer = LetterBatchWriter::Open({.directory = dir.path()});
  ASSERT_TRUE(writer.ok());
  CredentialNotice too_long = Notice(0);
  too_long.voter.adresse = {"a", "b", "c", "d", "e", "f"};
  Result<LetterLocation> a = writer->Add(too_long);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().code, "letter.address_too_long");
  CredentialNotice too_wide = Notice(0);
  too_wide.voter.adresse[1] = std::string(60, 'W') + " boulevard";
  Result<LetterLocation> b = writer->Add(too_wide);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().code, "letter.address_too_wide");
  EXPECT_NE(b.error().message.find("line 3"), std::string::npos) << b.error().message;
  CredentialNotice no_address = Notice(0);
  no_address.voter.adresse.clear();
  EXPECT_FALSE(writer->Add(no_address).ok());
  CredentialNotice huge = Notice(0);
  huge.election.helpdesk = std::string(4000, 'x') + " " + std::string(3000, 'y');
  Result<LetterLocation> c = writer->Add(huge);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, "letter.overflow");
  for (const Error& e : {a.error(), b.error(), c.error()}) {
    EXPECT_EQ(e.message.find("7K3QD"), std::string::npos) << "no key in an error";
  }

  Result<LetterLocation> ok = writer->Add(Notice(1));
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->page, 1u);
  Result<std::vector<std::filesystem::path>> files = writer->Finish();
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(Pages(files->front()), 1);
}

TEST(LetterBatchWriter, NeverOverwritesAFile) {
  TempDir dir;
  { std::ofstream(dir.path() / "batch-0001.pdf") << "earlier batch"; }
  Result<LetterBatchWriter> writer = LetterBatchWriter::Open({.directory = dir.path()});
  ASSERT_TRUE(writer.ok());
  Result<LetterLocation> loc = writer->Add(Notice(0));
  ASSERT_FALSE(loc.ok());
  EXPECT_EQ(loc.error().code, "letter.file_exists");
  EXPECT_EQ(test::ReadFile(dir.path() / "batch-0001.pdf"), "earlier batch");
  EXPECT_FALSE(writer->Add(Notice(0)).ok());
}

TEST(LetterBatchWriter, MissingFontIsAClearError) {
  TempDir dir;
  Result<LetterBatchWriter> writer =
      LetterBatchWriter::Open({.directory = dir.path(), .font_mono = dir.path() / "none.ttf"});
  ASSERT_FALSE(writer.ok());
  EXPECT_EQ(writer.error().code, "letter.font");
  EXPECT_NE(writer.error().message.find("none.ttf"), std::string::npos);
}

TEST(LetterBatchWriter, UnfinishedBatchWritesNothing) {
  TempDir dir;
  {
    Result<LetterBatchWriter> writer = LetterBatchWriter::Open({.directory = dir.path()});
    ASSERT_TRUE(writer.ok());
    ASSERT_TRUE(writer->Add(Notice(0)).ok());
  }
  EXPECT_TRUE(test::FilesIn(dir.path()).empty());
}

}  // namespace
}  // namespace isoloir::delivery
