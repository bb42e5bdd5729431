#include "delivery/mime.h"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <random>

namespace isoloir::delivery {
namespace {

constexpr char kHex[] = "0123456789ABCDEF";

bool IsAsciiPrintableLine(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

bool HasLineBreakOrControl(std::string_view s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

Status CheckAddress(std::string_view field, std::string_view addr) {
  auto bad = [&](std::string_view why) {
    return Status(MakeError("mail.invalid_address", std::string(field) + ": " + std::string(why)));
  };
  if (addr.empty()) return bad("is empty");
  if (addr.size() > 254) return bad("is longer than 254 characters");
  size_t at = addr.find('@');
  if (at == std::string_view::npos || addr.find('@', at + 1) != std::string_view::npos) {
    return bad("must contain exactly one '@'");
  }
  if (at == 0 || at + 1 == addr.size()) return bad("has an empty local part or domain");
  for (unsigned char c : addr) {
    if (c <= 0x20 || c >= 0x7f) {
      return bad("must be ASCII without spaces or control characters");
    }
    if (std::string_view("<>()[],;:\"\\").find(static_cast<char>(c)) != std::string_view::npos) {
      return bad("must be a bare address (no name, brackets or quotes)");
    }
  }
  for (unsigned char c : addr.substr(at + 1)) {
    if (!(std::isalnum(c) || c == '.' || c == '-')) {
      return bad("has a domain with characters other than letters, digits, '.' and '-'");
    }
  }
  return Status::Ok();
}

Status CheckLine(std::string_view field, std::string_view text, bool required) {
  if (required && text.empty()) {
    return MakeError("mail.invalid_header", std::string(field) + ": is empty");
  }
  if (!IsValidUtf8(text)) {
    return MakeError("mail.invalid_utf8", std::string(field) + ": is not valid UTF-8");
  }
  if (HasLineBreakOrControl(text)) {
    return MakeError("mail.invalid_header",
                     std::string(field) + ": must be one line without control characters");
  }
  return Status::Ok();
}

std::string Base64(std::string_view in) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8) | uint8_t(in[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (i + 1 == in.size()) {
    uint32_t v = uint8_t(in[i]) << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    uint32_t v = (uint8_t(in[i]) << 16) | (uint8_t(in[i + 1]) << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

// A display name and address: "Name" <addr> (ASCII) or =?UTF-8?B?...?= <addr>.
std::string Mailbox(std::string_view name, std::string_view addr, std::string_view eol) {
  if (name.empty()) return std::string(addr);
  std::string out;
  if (IsAsciiPrintableLine(name)) {
    out += '"';
    for (char c : name) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  } else {
    out = EncodeHeaderText(name, eol);
  }
  // Fold before the address when the line would pass 78 characters.
  size_t last_line = out.size() - (out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  bool fold = std::string_view("From: ").size() + last_line + addr.size() + 3 > 78;
  out += fold ? std::string(eol) + " <" : std::string(" <");
  return out + std::string(addr) + ">";
}

size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xe) return 3;
  return 4;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c >> 5) == 0x6) {
      n = 2, cp = c & 0x1f;
    } else if ((c >> 4) == 0xe) {
      n = 3, cp = c & 0x0f;
    } else if ((c >> 3) == 0x1e) {
      n = 4, cp = c & 0x07;
    } else {
      return false;
    }
    if (i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k) {
      unsigned char d = s[i + k];
      if ((d >> 6) != 0x2) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      return false;
    }
    i += n;
  }
  return true;
}

std::string FormatRfc5322Date(int64_t unix_utc) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  time_t t = static_cast<time_t>(unix_utc);
  struct tm tm {};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buf;
}

std::string NewMessageId(std::string_view from_address) {
  static std::atomic<uint64_t> counter{0};
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string_view domain = "isoloir.invalid";
  if (size_t at = from_address.rfind('@');
      at != std::string_view::npos && at + 1 < from_address.size()) {
    domain = from_address.substr(at + 1);
  }
  auto now = std::chrono::system_clock::now().time_since_epoch();
  char buf[128];
  std::snprintf(buf, sizeof buf, "<%llx.%x.%llx.%016llx@",
                static_cast<unsigned long long>(
                    std::chrono::duration_cast<std::chrono::microseconds>(now).count()),
                static_cast<unsigned>(getpid()),
                static_cast<unsigned long long>(counter.fetch_add(1)),
                static_cast<unsigned long long>(rng()));
  return std::string(buf) + std::string(domain) + ">";
}

std::string EncodeHeaderText(std::string_view utf8, std::string_view eol) {
  if (IsAsciiPrintableLine(utf8)) return std::string(utf8);
  // 45 bytes -> 60 base64 characters -> a 72-character encoded word, which
  // also fits after "Subject: " within the 78 characters of RFC 5322.
  constexpr size_t kMaxBytes = 42;
  std::string out;
  size_t i = 0;
  while (i < utf8.size()) {
    size_t end = i;
    while (end < utf8.size()) {
      size_t n = Utf8SequenceLength(static_cast<unsigned char>(utf8[end]));
      if (end + n - i > kMaxBytes) break;
      end += n;
    }
    if (end == i) end = std::min(utf8.size(), i + 1);  // invalid input: never loop forever
    if (!out.empty()) {
      out += eol;
      out += ' ';
    }
    out += "=?UTF-8?B?" + Base64(utf8.substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

// Appends, so that a body holding a secret is never copied into a temporary.
static void AppendQuotedPrintable(std::string& out, std::string_view text, std::string_view eol) {
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    bool last = nl == std::string_view::npos;
    std::string_view line = text.substr(pos, last ? std::string_view::npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (last && line.empty()) break;  // text ended with a line break
    size_t col = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = line[i];
      bool at_end = i + 1 == line.size();
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      if (i == 0 && c == '.') literal = false;
      if (i == 0 && line.substr(0, 5) == "From ") literal = false;
      size_t width = literal ? 1 : 3;
      // Keep room for the soft break '=' (76 characters at most per line).
      if (col + width > 75) {
        out += '=';
        out += eol;
        col = 0;
        if (c == '.') literal = false, width = 3;  // a continuation line may not start with '.'
      }
      if (literal) {
        out += static_cast<char>(c);
      } else {
        out += '=';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      col += width;
    }
    out += eol;
    if (last) break;
    pos = nl + 1;
  }
}

std::string EncodeQuotedPrintable(std::string_view text, std::string_view eol) {
  std::string out;
  AppendQuotedPrintable(out, text, eol);
  return out;
}

Status ValidateMail(const Mail& mail) {
  if (Status s = CheckAddress("mail.from", mail.from); !s) return s;
  if (Status s = CheckAddress("mail.to", mail.to); !s) return s;
  if (Status s = CheckLine("mail.from_name", mail.from_name, false); !s) return s;
  if (Status s = CheckLine("mail.subject", mail.subject, true); !s) return s;
  if (!IsValidUtf8(mail.text)) {
    return MakeError("mail.invalid_utf8", "mail.text: is not valid UTF-8");
  }
  return Status::Ok();
}

Result<std::string> BuildMessage(const Mail& mail, const MessageMeta& meta, std::string_view eol) {
  if (Status s = ValidateMail(mail); !s) return s.error();
  if (meta.message_id.size() < 3 || meta.message_id.front() != '<' ||
      meta.message_id.back() != '>' || !IsAsciiPrintableLine(meta.message_id)) {
    return MakeError("mail.invalid_header", "message id: must be \"<...>\" in printable ASCII");
  }
  std::string out;
  // Worst case of quoted-printable (3 bytes per byte, plus soft breaks), so the
  // buffer holding the secret is never reallocated and left behind unwiped.
  out.reserve(mail.text.size() * 3 + mail.text.size() / 24 * eol.size() + 2048 +
              4 * (mail.subject.size() + mail.from_name.size()));
  auto header = [&](std::string_view name, std::string_view value) {
    out += name;
    out += ": ";
    out += value;
    out += eol;
  };
  header("Date", FormatRfc5322Date(meta.date));
  header("From", Mailbox(mail.from_name, mail.from, eol));
  header("To", mail.to);
  header("Subject", EncodeHeaderText(mail.subject, eol));
  header("Message-ID", meta.message_id);
  header("MIME-Version", "1.0");
  header("Content-Type", "text/plain; charset=UTF-8");
  header("Content-Transfer-Encoding", "quoted-printable");
  header("Auto-Submitted", "auto-generated");  // RFC 3834: no vacation replies
  out += eol;
  AppendQuotedPrintable(out, mail.text, eol);
  return out;
}

}  // namespace isoloir::delivery
