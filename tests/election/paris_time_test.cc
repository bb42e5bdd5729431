#include "election/paris_time.h"

#include <gtest/gtest.h>

namespace isoloir::election {
namespace {

TEST(ParisTime, WinterDateIsUtcPlusOne) {
  auto t = ParseParisLocal("2026-12-01T09:00");
  ASSERT_TRUE(t) << t.error().ToString();
  EXPECT_EQ(t->utc, 1796112000);  // 2026-12-01T08:00:00Z
  EXPECT_EQ(t->local, "2026-12-01T09:00");
  EXPECT_EQ(FormatUtc(t->utc), "2026-12-01T08:00:00Z");
}

TEST(ParisTime, SummerDateIsUtcPlusTwo) {
  auto t = ParseParisLocal("2026-06-01T09:00");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->utc, 1780297200);  // 2026-06-01T07:00:00Z
  EXPECT_EQ(FormatUtc(t->utc), "2026-06-01T07:00:00Z");
}

TEST(ParisTime, TransitionsAreTheLastSundaysAt0100Utc) {
  EXPECT_EQ(ParisSummerTimeStart(2026), 1774746000);  // 2026-03-29T01:00Z
  EXPECT_EQ(ParisSummerTimeEnd(2026), 1792890000);    // 2026-10-25T01:00Z
  EXPECT_EQ(ParisOffsetAt(1774746000 - 1), 3600);
  EXPECT_EQ(ParisOffsetAt(1774746000), 7200);
  EXPECT_EQ(ParisOffsetAt(1792890000 - 1), 7200);
  EXPECT_EQ(ParisOffsetAt(1792890000), 3600);
  // 2022: 27 March and 30 October.
  EXPECT_EQ(FormatUtc(ParisSummerTimeStart(2022)), "2022-03-27T01:00:00Z");
  EXPECT_EQ(FormatUtc(ParisSummerTimeEnd(2022)), "2022-10-30T01:00:00Z");
}

TEST(ParisTime, AroundSpringForward) {
  auto before = ParseParisLocal("2026-03-29T01:59");
  ASSERT_TRUE(before);
  EXPECT_EQ(FormatUtc(before->utc), "2026-03-29T00:59:00Z");
  auto after = ParseParisLocal("2026-03-29T03:00");
  ASSERT_TRUE(after);
  EXPECT_EQ(FormatUtc(after->utc), "2026-03-29T01:00:00Z");
  auto gap = ParseParisLocal("2026-03-29T02:30");
  ASSERT_FALSE(gap);
  EXPECT_EQ(gap.error().code, "time.nonexistent");
  EXPECT_NE(gap.error().message.find("2026-03-29T02:30"), std::string::npos);
}

TEST(ParisTime, AroundFallBack) {
  auto summer = ParseParisLocal("2026-10-25T01:59");
  ASSERT_TRUE(summer);
  EXPECT_EQ(FormatUtc(summer->utc), "2026-10-24T23:59:00Z");
  auto winter = ParseParisLocal("2026-10-25T03:00");
  ASSERT_TRUE(winter);
  EXPECT_EQ(FormatUtc(winter->utc), "2026-10-25T02:00:00Z");
  auto twice = ParseParisLocal("2026-10-25T02:30");
  ASSERT_FALSE(twice);
  EXPECT_EQ(twice.error().code, "time.ambiguous");
}

TEST(ParisTime, RejectsMalformedAndImpossibleTimes) {
  for (const char* bad :
       {"2026-12-01 09:00", "2026-12-01T09:00:00", "2026-12-01T9:00", "2026-02-30T09:00",
        "2026-12-01T24:00", "2026-12-01T09:60", "2026-13-01T09:00", "", "2026-12-01T09:00Z"}) {
    auto t = ParseParisLocal(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, "time.format") << bad;
  }
  auto old = ParseParisLocal("1990-06-01T09:00");
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, "time.range");
}

TEST(ParisTime, LeapDay) {
  EXPECT_TRUE(ParseParisLocal("2028-02-29T12:00"));
  EXPECT_FALSE(ParseParisLocal("2027-02-29T12:00"));
  EXPECT_TRUE(IsValidDate(2000, 2, 29));
  EXPECT_FALSE(IsValidDate(1900, 2, 29));
}

TEST(ParisTime, FormatParisLocalInvertsParse) {
  for (const char* s : {"2026-12-01T09:00", "2026-06-01T09:00", "2026-03-29T01:59",
                        "2026-03-29T03:00", "2026-10-25T01:59", "2026-10-25T03:00",
                        "2026-12-31T23:59", "2027-01-01T00:00", "2000-02-29T12:34"}) {
    auto t = ParseParisLocal(s);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(FormatParisLocal(t->utc), s);
  }
}

}  // namespace
}  // namespace isoloir::election
