// RFC 5322 / MIME rendering of a Mail: UTF-8 text/plain body in
// quoted-printable, RFC 2047 encoded-words for non-ASCII header text, a Date
// and a Message-ID. Pure functions, no I/O; shared by both mailers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "delivery/mail.h"

namespace isoloir::delivery {

// Checks what would otherwise let a message be malformed or let header
// injection through: addresses are ASCII addr-specs (one '@', no spaces,
// brackets or control characters), subject and names are one line of valid
// UTF-8, the body is valid UTF-8. Errors name the field ("mail.to", ...).
Status ValidateMail(const Mail& mail);

struct MessageMeta {
  int64_t date = 0;        // seconds since the epoch, written as UTC (+0000)
  std::string message_id;  // with the angle brackets: "<...@domain>"
};

// A fresh, unique Message-ID on the domain of the sender address.
std::string NewMessageId(std::string_view from_address);

// The complete message (headers, blank line, body) with `eol` ("\r\n" for
// SMTP, "\n" for a Maildir file) ending every line. Validates first.
Result<std::string> BuildMessage(const Mail& mail, const MessageMeta& meta,
                                 std::string_view eol = "\r\n");

// Building blocks, exposed for tests.
bool IsValidUtf8(std::string_view text);
std::string FormatRfc5322Date(int64_t unix_utc);
// Header text as is when it is printable ASCII, else RFC 2047 "B" encoded
// words of at most 75 characters, never splitting a UTF-8 sequence, folded
// with `eol` + space.
std::string EncodeHeaderText(std::string_view utf8, std::string_view eol = "\r\n");
// RFC 2045 quoted-printable: lines of at most 76 characters, trailing spaces
// and non-ASCII encoded, '.' and "From " at a line start encoded too (safe
// for SMTP dot-stuffing and mbox). Input lines end in "\n" or "\r\n".
std::string EncodeQuotedPrintable(std::string_view text, std::string_view eol = "\r\n");

}  // namespace isoloir::delivery
